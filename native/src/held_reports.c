#include "held_reports.h"

#include <stdio.h>
#include <string.h>

#include "device_clock.h"
#include "opcodes.h"
#include "wire.h"

#define MODULE "libmvhost"

static uint8_t held[MVHOST_HELD_REPORTS_MAX_BYTES];
static uint32_t held_length;
static uint64_t held_boot_id;
static int overflow_reported;

static void forget(void)
{
    volatile uint8_t *bytes = held;
    for (uint32_t i = 0; i < held_length; i++) {
        bytes[i] = 0;
    }
    held_length = 0;
    overflow_reported = 0;
}

/* Keeps one REPORT frame, or reports once that the room is used up. */
static void keep_frame(const uint8_t *frame, uint32_t length)
{
    if (length > MVHOST_HELD_REPORTS_MAX_BYTES - held_length) {
        if (!overflow_reported) {
            fprintf(stderr, "%s: more than %u bytes of REPORT frames wait for the simulator; dropping the rest, so a "
                    "kernel kept for the reconnect misses those calls\n", MODULE, MVHOST_HELD_REPORTS_MAX_BYTES);
            overflow_reported = 1;
        }
        return;
    }
    memcpy(held + held_length, frame, length);
    held_length += length;
    held_boot_id = mvhost_boot_id();
}

/*
 * Returns 0 for the reported calls that a kept kernel must not run again after the loss. Reads
 * change nothing, and the kernel closed their channel at the loss, so their replay would only
 * count a divergence for a result the app got while the channel was open. SLEEP and WAIT are kept:
 * a kept virtual clock replays them before it moves to the HELLO's device time, so the calls
 * between them run at the times the app made them. Without them, opens made a second apart ran at
 * one time and met the kernel's rate limit.
 */
static int changes_kernel(uint16_t opcode)
{
    switch (opcode) {
    case MVHOST_OP_READ_CONFIG_FETCH_RESPONSE_DATA:
    case MVHOST_OP_READ_CONFIG_RESPONSE_ITEM:
    case MVHOST_OP_GET_NETWORK_STATUS:
        return 0;
    default:
        return 1;
    }
}

/* Drops whole frames from the front until `needed` more bytes fit. */
static void drop_oldest_for(uint32_t needed)
{
    uint32_t offset = 0;
    while (offset < held_length && needed > MVHOST_HELD_REPORTS_MAX_BYTES - (held_length - offset)) {
        struct mvhost_wire_header header;
        if (mvhost_wire_parse_header(held + offset, held_length - offset, &header) != MVHOST_WIRE_OK) {
            offset = held_length;
            break;
        }
        offset += MVHOST_WIRE_HEADER_BYTES + header.payload_length;
    }
    memmove(held, held + offset, held_length - offset);
    memset(held + held_length - offset, 0, offset);
    held_length -= offset;
}

void mvhost_held_reports_keep_sent(const uint8_t *frames, uint32_t length)
{
    if (held_length > 0 && held_boot_id != mvhost_boot_id()) {
        forget();
    }
    if (length > MVHOST_HELD_REPORTS_MAX_BYTES) {
        return;
    }
    if (length > MVHOST_HELD_REPORTS_MAX_BYTES - held_length) {
        drop_oldest_for(length);
    }
    mvhost_held_reports_keep(frames, length);
}

void mvhost_held_reports_keep(const uint8_t *frames, uint32_t length)
{
    if (held_length > 0 && held_boot_id != mvhost_boot_id()) {
        forget();
    }

    uint32_t offset = 0;
    while (offset < length) {
        struct mvhost_wire_header header;
        if (mvhost_wire_parse_header(frames + offset, length - offset, &header) != MVHOST_WIRE_OK) {
            return; /* only a bug in libmvhost's own framing gets here */
        }
        uint32_t frame_length = MVHOST_WIRE_HEADER_BYTES + header.payload_length;
        if (changes_kernel(header.opcode)) {
            keep_frame(frames + offset, frame_length);
        }
        offset += frame_length;
    }
}

int mvhost_held_reports_send(int (*send)(const uint8_t *frames, uint32_t length))
{
    if (held_length > 0 && held_boot_id != mvhost_boot_id()) {
        forget();
    }
    if (held_length > 0 && send(held, held_length) != 0) {
        return -1;
    }
    return 0;
}

void mvhost_held_reports_delivered(void)
{
    forget();
}
