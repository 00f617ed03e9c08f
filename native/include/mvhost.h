/*
 * mvhost.h: harness control for libmvhost, the host build of the Microvisor syscalls.
 *
 * Firmware code includes only mv_syscalls.h and calls mv* functions as on the device. A test
 * (or the Java side through JNA) uses this header to connect those calls to a kernel, choose how
 * interrupts run, poll, reset and read statistics. Every syscall becomes a request frame sent
 * through the transport; the kernel decides every status and output (docs/wire-protocol.md).
 *
 * Functions here return 0 on success or a negative MVHOST_E* code, unless stated otherwise.
 */
#ifndef MVHOST_H
#define MVHOST_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define MVHOST_API
#else
#define MVHOST_API __attribute__((visibility("default")))
#endif

/* Error codes of the mvhost_* functions. */
#define MVHOST_EINVAL (-1)     /* an argument is NULL or out of range */
#define MVHOST_ENOTRANSPORT (-2) /* no transport is set */
#define MVHOST_ETRANSPORT (-3) /* the transport failed, or the reply was an ERROR frame or not a valid response */
#define MVHOST_EREJECTED (-4)  /* the kernel returned a non-zero status for a harness-control call */
#define MVHOST_EMALFORMED (-5) /* delivered bytes are not valid notification frames */
#define MVHOST_EAUTH (-6)      /* the simulator rejected the device's handshake, or failed to prove its own key */

/*
 * Exchanges one request frame for its reply, in process. `request` may start with REPORT frames
 * of locally answered calls, which the callee processes in order and does not answer; it may also
 * hold only such frames (mvhost_flush), and then the reply has no RESPONSE. The callee writes
 * into `reply` any notification and STATE frames that fell due, then the RESPONSE frame, and
 * returns the number of bytes written (at most `reply_capacity`), or a negative value if it could
 * not produce a reply.
 * libmvhost calls it with its transport lock held, so calls never overlap. It must not make mv*
 * syscalls itself, because they would reuse the reply buffer of the call in progress. Pushing
 * notifications with mvhost_deliver_frames from inside it is allowed.
 */
typedef int32_t (*mvhost_exchange_fn)(void *context, const uint8_t *request, uint32_t request_length,
                                      uint8_t *reply, uint32_t reply_capacity);

/* Routes every syscall through `exchange`; `context` is passed back unchanged. */
MVHOST_API int mvhost_set_inprocess_transport(mvhost_exchange_fn exchange, void *context);

/* Removes the transport; syscalls then return MV_STATUS_UNAVAILABLE and print one stderr line. */
MVHOST_API void mvhost_clear_transport(void);

/* Bytes the reply buffer offers the exchange function: room for the largest frame plus notifications. */
MVHOST_API uint32_t mvhost_reply_capacity(void);

/*
 * Routes every syscall to a running simulator (`mvsim serve`) through its bridge, and connects now.
 * `endpoint` is "tcp://HOST:PORT", "unix:PATH" or "serial:DEVICE", optionally followed by
 * "?baud=N&timeout_ms=N&retries=N&reconnect_ms=N&clock=virtual|wall". The device authenticates
 * with its SID and its key in hex, as `mvsim devices add --json` prints them. Without this call a
 * program run with MVHOST_CONNECT, MVHOST_DEVICE and MVHOST_DEVICE_KEY set connects the same way
 * on its first syscall. Returns 0 when connected, MVHOST_EAUTH when the simulator rejected the
 * device (then no transport is set, as for an invalid argument), MVHOST_ETRANSPORT when it is unreachable (the transport stays set, and later syscalls
 * get local answers and retry), or MVHOST_EINVAL for an invalid argument.
 */
MVHOST_API int mvhost_connect(const char *endpoint, const char *device_sid, const char *device_key_hex);

/* Closes the connection to the simulator and removes the transport. */
MVHOST_API void mvhost_disconnect(void);

/* Returns 1 while the bridge holds an authenticated connection, else 0. */
MVHOST_API int mvhost_bridge_connected(void);

/* Thread on which pended notification handlers run. */
enum mvhost_interrupt_mode {
    /* Handlers run in the calling thread: at every syscall exit, in HAL_Delay and in mvhost_poll. */
    MVHOST_INTERRUPTS_SYNCHRONOUS = 0,
    /* Handlers run on a dedicated interrupt thread as soon as their IRQ is pended and enabled. */
    MVHOST_INTERRUPTS_THREAD = 1
};

/* Switches the interrupt mode; call it from the test's own thread while no handler runs. */
MVHOST_API int mvhost_set_interrupt_mode(enum mvhost_interrupt_mode mode);
MVHOST_API enum mvhost_interrupt_mode mvhost_get_interrupt_mode(void);

/*
 * Asks the kernel for notifications that are already due (no time passes), writes them into the
 * app's rings, then runs pending enabled handlers in synchronous mode.
 */
MVHOST_API int mvhost_poll(void);

/*
 * Writes notification frames that the kernel pushes on its own (interrupt-thread mode, wall
 * clock, bridge) into the app's rings and pends their IRQs. Safe from any thread. Returns the
 * number of notifications written, or a negative MVHOST_E* code; frames before a malformed one
 * are still written.
 */
MVHOST_API int mvhost_deliver_frames(const uint8_t *frames, uint32_t length);

/*
 * Reads the kernel's microsecond clock, the one mvGetMicroseconds and HAL_GetTick use. After the
 * first reply of a connection it is computed from the cached CLOCK state without an exchange:
 * the cached time on a virtual clock, the cached time plus the host time since on a wall clock.
 */
MVHOST_API int mvhost_clock_now_us(uint64_t *now_us);

/*
 * Lets `duration_us` pass on the kernel's clock (advancing virtual time, or sleeping on the wall
 * clock) and delivers the notifications that fall due meanwhile. Over the bridge on a virtual
 * clock, a sleep that ends before the kernel's next event (the last QUIET state) needs no
 * exchange: libmvhost moves its clock and REPORTs the sleep with the next exchange.
 */
MVHOST_API int mvhost_clock_sleep_us(uint64_t duration_us);

/*
 * Sends the REPORT frames of locally answered calls that are still queued, now, and writes the
 * notifications they produced into the app's rings. libmvhost sends the queue ahead of the next
 * exchange anyway; call this before inspecting the kernel from the test's side, so the kernel has
 * seen every call the app made. Returns 0, or MVHOST_ETRANSPORT when the exchange failed.
 */
MVHOST_API int mvhost_flush(void);

/*
 * Lets time pass as HAL_Delay does in steps of `step_us`, with as few exchanges as possible: at
 * most `max_us`, stopping at the end of the first step in which a notification was written. On
 * a virtual clock that is one exchange, or none when the wait ends before the kernel's next event
 * (as for mvhost_clock_sleep_us). On a wall clock over the bridge it waits on the socket
 * for pushed frames, at most one step per call. Returns 0, MVHOST_EINVAL for a zero step, or the
 * codes of mvhost_clock_sleep_us. Read the clock to learn how far time moved.
 */
MVHOST_API int mvhost_clock_wait_us(uint64_t max_us, uint64_t step_us);

/* Counters since load or the last mvhost_reset. */
struct mvhost_stats {
    uint64_t syscalls;               /* mv* calls made, with or without a transport */
    uint64_t control_calls;          /* clock, sleep, wait and poll calls, exchanged or answered in a quiet window */
    uint64_t notifications_written;  /* records written into app rings */
    uint64_t ring_overruns;          /* records written over a slot the app had not zeroed since the last write */
    uint64_t notifications_rejected; /* notifications for an unknown ring or an out-of-range slot */
    uint64_t transport_errors;       /* exchanges that failed or returned an invalid reply */
    uint64_t calls_without_transport;
    uint64_t exchanges;              /* calls of the transport that the kernel answered: one per exchanged call, flush
                                        or batch of posted frames */
    uint64_t local_answers;          /* mv* calls answered by libmvhost and posted to the kernel as REPORT frames */
    /* Appended: fields are only ever added at the end, so older callers' structs stay valid. */
    uint64_t offline_exchanges;      /* calls of the bridge transport answered by libmvhost while the simulator was
                                        unreachable (failed transport calls count in transport_errors) */
};

MVHOST_API void mvhost_get_stats(struct mvhost_stats *stats);

/*
 * Forgets registered rings, zeroes the statistics and resets the IRQ model, which also returns to
 * synchronous interrupts. The transport stays; resetting the kernel itself is the kernel side's job.
 */
MVHOST_API void mvhost_reset(void);

#ifdef __cplusplus
}
#endif

#endif
