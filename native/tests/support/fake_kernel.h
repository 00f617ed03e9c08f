/*
 * A fake kernel behind the in-process transport, for CTest. It checks each request against the
 * opcode's schema, records what it saw, and replies as the Java kernel does for pointers. Any
 * absent pointer gives PARAMETERFAULT with no output written, and otherwise OKAY with outputs
 * taken from the scripted values below. Queued notification frames go in front of the next response.
 */
#ifndef MVHOST_FAKE_KERNEL_H
#define MVHOST_FAKE_KERNEL_H

#include <stdint.h>

#define FAKE_MAX_QUEUED 64

struct fake_kernel {
    /* What the last request held. */
    uint16_t last_opcode;
    uint8_t last_kind;
    uint32_t last_sequence;
    unsigned last_pointer_count;
    unsigned last_absent_pointers;
    uint32_t last_request_length;

    /* Counters over the whole test: exchanges, and REPORT frames that led them. */
    unsigned requests;
    unsigned reports;
    uint16_t last_report_opcode;
    unsigned schema_mismatches;

    /* Scripted outputs for OKAY responses: every u32 output, every u64 output, every bytes output. */
    uint32_t u32_output;
    uint64_t u64_output;
    const uint8_t *bytes_output;
    uint32_t bytes_output_length;
    /* When set, every response carries this status with all outputs unwritten. */
    int force_status;
    uint32_t forced_status;

    /* Microseconds on the fake clock, advanced by HARNESS_SLEEP and HARNESS_WAIT and their REPORTs (the whole duration). */
    uint64_t now_us;

    /* CLOCK states: 0 sends none, as a kernel before them; else the clock kind to send. */
    uint32_t clock_kind;
    int clock_sent;
    /* Set by a test that moved now_us itself, so the next response brings a CLOCK again. */
    int clock_moved;
};

extern struct fake_kernel fake_kernel;

/* Resets the fake's state and installs it as libmvhost's transport. */
void fake_kernel_install(void);

/* Queues any encoded frame (a STATE frame, say) to travel in front of the next response. */
void fake_kernel_queue_frame(const uint8_t *frame, uint32_t length);

/* Queues a notification frame to travel in front of the next response. */
void fake_kernel_queue_notification(uint64_t centre, uint64_t ring_address, uint32_t slot, uint64_t microseconds,
                                    uint32_t event_type, uint32_t tag, uint32_t irq);

/* Encodes a CLOCK state frame into `out` (at least 64 bytes); returns its length. */
uint32_t fake_kernel_encode_clock(uint8_t *out, uint32_t clock_kind, uint64_t kernel_us);

/* Encodes the same notification frame into `out` (at least 128 bytes); returns its length. */
uint32_t fake_kernel_encode_notification(uint8_t *out, uint64_t centre, uint64_t ring_address, uint32_t slot,
                                         uint64_t microseconds, uint32_t event_type, uint32_t tag, uint32_t irq);

#endif
