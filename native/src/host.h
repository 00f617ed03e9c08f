/*
 * Internal interface of libmvhost: the call cycle every syscall wrapper follows, and the ring
 * registry that notification frames are written through.
 *
 *   struct mvhost_call call;
 *   mvhost_call_begin(&call, MVHOST_OP_..., __func__);   encode the arguments
 *   mvhost_put_...(&call.writer, ...);
 *   if (mvhost_call_exchange(&call)) { mvhost_take_...(&call, ...); }   outputs, lock held
 *   return mvhost_call_end(&call);                        unlock, run handlers, return status
 */
#ifndef MVHOST_HOST_H
#define MVHOST_HOST_H

#include <stdint.h>

#include "mvhost.h"
#include "opcodes.h"
#include "wire.h"

/* Statuses libmvhost itself returns; the values match enum MvStatus in mv_syscalls.h. */
#define MVHOST_STATUS_UNAVAILABLE 0x0Au
#define MVHOST_STATUS_INTERNALERROR 0x21u

struct mvhost_call {
    struct mvhost_wire_writer writer;
    uint8_t storage[256];
    const char *function;
    uint16_t opcode;
    uint8_t kind;
    uint32_t sequence;
    uint32_t status;
    int exchanged;
    int failed;
    struct mvhost_wire_reader outputs;
    /* Set while a local answer is being built; the transport lock is then held. */
    int local;
    struct mvhost_wire_writer answer;
    uint8_t answer_storage[64];
};

void mvhost_call_begin(struct mvhost_call *call, uint16_t opcode, const char *function);
void mvhost_control_begin(struct mvhost_call *call, uint16_t opcode, const char *function);

/*
 * Sends the request and reads the reply up to the status, taking the transport lock that
 * mvhost_call_end releases. Returns 1 when a RESPONSE arrived and its outputs can be taken.
 * Returns 0 otherwise, with the status already set: UNAVAILABLE without a transport,
 * INTERNALERROR on a failed exchange.
 */
int mvhost_call_exchange(struct mvhost_call *call);

/* Each reads the next output; returns 1 when the kernel wrote a value, 0 for NONE or a fault. */
int mvhost_take_u32(struct mvhost_call *call, uint32_t *value);
int mvhost_take_u64(struct mvhost_call *call, uint64_t *value);
/* Copies a bytes output into `destination`; more than `capacity` bytes is a protocol fault. */
int mvhost_take_bytes(struct mvhost_call *call, void *destination, uint32_t capacity, uint32_t *length);

/* Checks that every output was read, releases the lock, runs handlers, returns the status. */
uint32_t mvhost_call_end(struct mvhost_call *call);

/*
 * Starts a local answer: returns 1 with the transport lock held when the transport accepts posted
 * frames, so the caller may consult the local state and then either write the response payload
 * (status, then outputs in schema order) into call->answer and call mvhost_call_end_local, or call
 * mvhost_call_decline_local and exchange as usual. Returns 0 with the lock released otherwise.
 */
int mvhost_call_try_local(struct mvhost_call *call);
void mvhost_call_decline_local(struct mvhost_call *call);

/*
 * Queues a REPORT of the request and call->answer, to travel ahead of the next exchange, then
 * releases the lock and runs handlers like mvhost_call_end. Returns `status`, which must be the
 * status written first into call->answer.
 */
uint32_t mvhost_call_end_local(struct mvhost_call *call, uint32_t status);

/* Allows or forbids posted frames on the current transport; a serial line must not post. */
void mvhost_set_posting(int enabled);

/*
 * Waits up to `max_us` on the transport for pushed frames and delivers them; returns early once a
 * notification was written. Returns 0, or -1 when it cannot wait (the link is down), so the caller
 * exchanges instead. Called with the transport lock held.
 */
typedef int (*mvhost_push_waiter_fn)(uint64_t max_us);

/* Sets the current transport's waiter, or NULL; a new transport clears it. Lock held. */
void mvhost_set_push_waiter(mvhost_push_waiter_fn waiter);

/*
 * Called after every change of interrupt mode, and with MVHOST_INTERRUPTS_SYNCHRONOUS when the
 * transport is removed, so a transport can read pushes on a thread of its own while handlers run
 * on the interrupt thread. It may be called with the transport lock held.
 */
typedef void (*mvhost_mode_listener_fn)(enum mvhost_interrupt_mode mode);

/* Sets the current transport's mode listener, or NULL; a new transport clears it. */
void mvhost_set_mode_listener(mvhost_mode_listener_fn listener);

/* Takes the transport lock if it is free; returns 1 if taken. */
int mvhost_trylock(void);

/*
 * Writes pushed NOTIFICATION frames into rings and applies STATE frames, in order. Returns the
 * number of notifications written, or MVHOST_EMALFORMED at the first frame of another kind or
 * with a bad envelope (frames before it stay delivered); `source` names the caller in the
 * stderr line. Lock held.
 */
int mvhost_deliver_pushed(const uint8_t *frames, uint32_t length, const char *source);

/* Marks the call failed, with a stderr line naming the function and the fault. */
void mvhost_call_fail(struct mvhost_call *call, const char *fault);

/* Ring registry; callers hold the transport lock. */
void mvhost_rings_register(uint64_t handle, uint64_t ring_address, uint32_t size_bytes, uint32_t irq);
void mvhost_rings_unregister(uint64_t handle);
void mvhost_rings_clear(void);
/* Registers the ring of centre `handle` under `alias` too, as the kernel names it after a replay. */
void mvhost_rings_alias(uint64_t handle, uint64_t alias);
/*
 * Writes the record a NOTIFICATION payload describes and pends its IRQ; returns 1 if written.
 * `sequence` is the frame's, which the bridge's resume names (see lost_request.h). A record older
 * than the last one in its ring gets that record's time: the kernel wrote it before a lost link,
 * and it arrived after libmvhost's own records for the loss. It still takes its own slot, so no
 * slot stays empty, the app reads it once, and the app never reads a time going back.
 */
int mvhost_rings_deliver(uint32_t sequence, const uint8_t *payload, uint32_t length);
/* Calls `visit` for each registered ring, with the centre handle the kernel uses for it. */
void mvhost_rings_each(void (*visit)(void *context, uint64_t handle, uint64_t address, uint32_t size_bytes,
                                      uint32_t irq),
                       void *context);
/*
 * Maps a fresh kernel's slots onto the rings: its slot 0 becomes the slot each ring writes next,
 * because a fresh kernel fills every ring from slot 0 while the app reads on where it was.
 */
void mvhost_rings_rebase(void);
/*
 * Writes a record libmvhost makes itself (on a lost connection) into the centre's ring, at the
 * slot the kernel would write next, and pends the ring's IRQ. Returns 0 for an unknown centre.
 */
int mvhost_rings_write_local(uint64_t handle, uint64_t microseconds, uint32_t event_type, uint32_t tag);

/*
 * Remembers the channels and network requests the kernel opened for the app, from each
 * successful call's request and response payloads, so a lost connection can notify them.
 */
void mvhost_link_track(uint16_t opcode, const uint8_t *request, uint32_t request_length, const uint8_t *response,
                       uint32_t response_length);

/*
 * Writes the records a device writes when its cloud connection drops: NETWORKSTATUSCHANGED for
 * each network request, then CHANNELNOTCONNECTED for each open channel. The channels stay tracked
 * as closed until the app closes them, and a later loss writes no record for them.
 */
void mvhost_link_lost(uint64_t microseconds);

/* Forgets every tracked channel and network request, as mvhost_reset does. */
void mvhost_link_forget(void);

/*
 * Sends a BRIDGE_RESTORE through `send` after a reconnection that met a fresh kernel. It lists the
 * registered rings' centres, the tracked network requests and the tracked channels (all closed by
 * then), and the kernel recreates them under the app's handles. Handles issued offline that no
 * kernel bound yet are left out, because the replay of the offline calls creates them. The reply's
 * notifications and states are delivered. Returns 0, or -1 when the exchange failed.
 */
int mvhost_link_restore(int32_t (*send)(const uint8_t *request, uint32_t length, uint32_t sequence, uint8_t *reply,
                                        uint32_t capacity),
                        uint8_t *reply, uint32_t capacity);

/* Statistics updated under the transport lock. */
struct mvhost_counters {
    uint64_t syscalls;
    uint64_t control_calls;
    uint64_t notifications_written;
    uint64_t ring_overruns;
    uint64_t notifications_rejected;
    uint64_t transport_errors;
    uint64_t calls_without_transport;
    uint64_t exchanges;
    uint64_t local_answers;
    uint64_t offline_exchanges;
};

extern struct mvhost_counters mvhost_counters;

/*
 * Marks the exchange in progress as answered by libmvhost because the simulator is unreachable,
 * so that it counts in offline_exchanges and not in exchanges. A transport calls it from its
 * exchange function.
 */
void mvhost_note_offline_exchange(void);

void mvhost_lock(void);
void mvhost_unlock(void);

#endif
