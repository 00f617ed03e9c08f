/*
 * The transport and the call cycle: one recursive mutex serialises exchanges, so concurrent
 * syscalls and notifications pushed from other threads never interleave on the reply buffer or
 * the rings. Recursive, because an in-process kernel may push notifications from inside an
 * exchange on the same thread.
 */
/* pthread_mutexattr_settype and PTHREAD_MUTEX_RECURSIVE are POSIX 2008, hidden under plain C11. */
#define _POSIX_C_SOURCE 200809L

#include "host.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device_clock.h"
#include "irq.h"
#include "local_answers.h"
#include "lost_request.h"
#include "offline_handles.h"
#include "mvhost.h"
#include "transport_bridge.h"

#define MODULE "libmvhost"

/* Room for the largest frame plus the notification frames that may precede it. */
#define REPLY_CAPACITY (2u * MVHOST_WIRE_MAX_FRAME_BYTES)

struct mvhost_counters mvhost_counters;

static pthread_mutex_t transport_lock;
static pthread_once_t lock_once = PTHREAD_ONCE_INIT;

static mvhost_exchange_fn exchange_function;
static void *exchange_context;
static uint8_t *reply_buffer;
static uint32_t next_sequence = 1;
static int missing_transport_reported;
static enum mvhost_interrupt_mode interrupt_mode = MVHOST_INTERRUPTS_SYNCHRONOUS;
static mvhost_push_waiter_fn push_waiter;
static mvhost_mode_listener_fn mode_listener;

/*
 * REPORT frames of locally answered calls, back to back, waiting for the next exchange. Above
 * MAX_QUEUED_BYTES the queue is flushed at once, which bounds the memory and the size of the
 * batch the kernel receives.
 */
#define MAX_QUEUED_BYTES (64u * 1024u)
static uint8_t *posted;
static size_t posted_length;
static size_t posted_capacity;
static int posting_enabled;
/* Set during a call of the exchange function, whose reply buffer a nested flush would overwrite. */
static int exchange_in_progress;

static int flush_locked(void);

static void create_lock(void)
{
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&transport_lock, &attributes);
    pthread_mutexattr_destroy(&attributes);
}

void mvhost_lock(void)
{
    pthread_once(&lock_once, create_lock);
    pthread_mutex_lock(&transport_lock);
}

void mvhost_unlock(void)
{
    pthread_mutex_unlock(&transport_lock);
}

int mvhost_trylock(void)
{
    pthread_once(&lock_once, create_lock);
    return pthread_mutex_trylock(&transport_lock) == 0;
}

void mvhost_set_mode_listener(mvhost_mode_listener_fn listener)
{
    mode_listener = listener;
}

static void tell_mode_listener(enum mvhost_interrupt_mode mode)
{
    mvhost_mode_listener_fn listener = mode_listener;
    if (listener != NULL) {
        listener(mode);
    }
}

MVHOST_API int mvhost_set_inprocess_transport(mvhost_exchange_fn exchange, void *context)
{
    if (exchange == NULL) {
        return MVHOST_EINVAL;
    }
    mvhost_lock();
    if (reply_buffer == NULL) {
        reply_buffer = malloc(REPLY_CAPACITY);
    }
    int result = 0;
    if (reply_buffer == NULL) {
        fprintf(stderr, "%s: cannot allocate the %u-byte reply buffer; transport not set\n", MODULE,
                (unsigned)REPLY_CAPACITY);
        result = MVHOST_ETRANSPORT;
    } else {
        /* Posted frames belong to the kernel behind the old transport, and its handles mean nothing to the new one. */
        (void)flush_locked();
        mvhost_local_forget_all();
        tell_mode_listener(MVHOST_INTERRUPTS_SYNCHRONOUS);
        exchange_function = exchange;
        exchange_context = context;
        push_waiter = NULL;
        mode_listener = NULL;
        missing_transport_reported = 0;
        posting_enabled = 1;
        /* Another transport may lead to another kernel, whose clock the first reply brings. */
        mvhost_device_clock_detach();
    }
    mvhost_unlock();
    return result;
}

MVHOST_API void mvhost_clear_transport(void)
{
    mvhost_lock();
    (void)flush_locked();
    mvhost_local_forget_all();
    posting_enabled = 0;
    tell_mode_listener(MVHOST_INTERRUPTS_SYNCHRONOUS);
    exchange_function = NULL;
    exchange_context = NULL;
    push_waiter = NULL;
    mode_listener = NULL;
    mvhost_device_clock_detach();
    free(reply_buffer);
    reply_buffer = NULL;
    mvhost_unlock();
}

void mvhost_set_push_waiter(mvhost_push_waiter_fn waiter)
{
    push_waiter = waiter;
}

MVHOST_API uint32_t mvhost_reply_capacity(void)
{
    return REPLY_CAPACITY;
}

MVHOST_API int mvhost_set_interrupt_mode(enum mvhost_interrupt_mode mode)
{
    if (mode != MVHOST_INTERRUPTS_SYNCHRONOUS && mode != MVHOST_INTERRUPTS_THREAD) {
        return MVHOST_EINVAL;
    }
    if (mode == interrupt_mode) {
        return 0;
    }
    if (mode == MVHOST_INTERRUPTS_THREAD) {
        int started = mvhost_irq_start_thread();
        if (started != 0) {
            return started;
        }
    } else {
        mvhost_irq_stop_thread();
    }
    interrupt_mode = mode;
    tell_mode_listener(mode);
    return 0;
}

MVHOST_API enum mvhost_interrupt_mode mvhost_get_interrupt_mode(void)
{
    return interrupt_mode;
}

MVHOST_API void mvhost_get_stats(struct mvhost_stats *stats)
{
    if (stats == NULL) {
        return;
    }
    mvhost_lock();
    stats->syscalls = mvhost_counters.syscalls;
    stats->control_calls = mvhost_counters.control_calls;
    stats->notifications_written = mvhost_counters.notifications_written;
    stats->ring_overruns = mvhost_counters.ring_overruns;
    stats->notifications_rejected = mvhost_counters.notifications_rejected;
    stats->transport_errors = mvhost_counters.transport_errors;
    stats->calls_without_transport = mvhost_counters.calls_without_transport;
    stats->exchanges = mvhost_counters.exchanges;
    stats->local_answers = mvhost_counters.local_answers;
    stats->offline_exchanges = mvhost_counters.offline_exchanges;
    mvhost_unlock();
}

MVHOST_API void mvhost_reset(void)
{
    mvhost_lock();
    (void)flush_locked();
    mvhost_local_forget_all();
    mvhost_rings_clear();
    mvhost_link_forget();
    mvhost_offline_forget();
    mvhost_lost_request_forget();
    memset(&mvhost_counters, 0, sizeof mvhost_counters);
    next_sequence = 1;
    missing_transport_reported = 0;
    mvhost_device_clock_forget();
    mvhost_boot_id_renew();
    mvhost_unlock();

    /* The IRQ model's reset also stops the interrupt thread. */
    mvhost_irq_reset();
    interrupt_mode = MVHOST_INTERRUPTS_SYNCHRONOUS;
    tell_mode_listener(MVHOST_INTERRUPTS_SYNCHRONOUS);
}

static void begin(struct mvhost_call *call, uint8_t kind, uint16_t opcode, const char *function)
{
    memset(call, 0, sizeof *call);
    call->function = function;
    call->opcode = opcode;
    call->kind = kind;
    mvhost_wire_writer_init(&call->writer, call->storage, sizeof call->storage);
    /* The sequence number is patched in under the lock, in mvhost_call_exchange. */
    mvhost_wire_begin_frame(&call->writer, kind, opcode, 0, 0);
}

void mvhost_call_begin(struct mvhost_call *call, uint16_t opcode, const char *function)
{
    begin(call, MVHOST_WIRE_REQUEST, opcode, function);
}

void mvhost_control_begin(struct mvhost_call *call, uint16_t opcode, const char *function)
{
    begin(call, MVHOST_WIRE_CONTROL, opcode, function);
}

void mvhost_call_fail(struct mvhost_call *call, const char *fault)
{
    if (!call->failed) {
        const char *result = call->kind == MVHOST_WIRE_CONTROL ? "MVHOST_ETRANSPORT" : "MV_STATUS_INTERNALERROR";
        fprintf(stderr, "%s: %s failed: %s; returning %s\n", MODULE, call->function, fault, result);
        mvhost_counters.transport_errors++;
    }
    call->failed = 1;
    call->status = MVHOST_STATUS_INTERNALERROR;
    /* The kernel may have run the call unseen, so the conditions of the reserved handles may not
       hold, and the call may have scheduled an event. */
    mvhost_local_revoke_reservation();
    mvhost_device_clock_quiet_revoke();
}

static void report_error_frame(struct mvhost_call *call, const uint8_t *payload, uint32_t length)
{
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field code;
    struct mvhost_wire_field message;
    int written;
    mvhost_wire_reader_init(&reader, payload, length);

    if (mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &code, &written) == MVHOST_WIRE_OK &&
        mvhost_wire_read_expect(&reader, MVHOST_WIRE_BYTES, 0, &message, &written) == MVHOST_WIRE_OK) {
        int message_length = message.length > 1024 ? 1024 : (int)message.length;
        fprintf(stderr, "%s: kernel rejected the %s request (error code %u): %.*s\n", MODULE, call->function,
                (unsigned)code.value, message_length, (const char *)message.bytes);
    }
    mvhost_call_fail(call, "the kernel rejected the request with an ERROR frame");
}

/*
 * Acts on one NOTIFICATION or STATE frame of a reply; returns 0 for any other kind. A
 * CHANNELNOTCONNECTED record also drops the cached responses it may concern.
 */
static int take_unsolicited(const struct mvhost_wire_header *header, const uint8_t *payload)
{
    if (header->kind == MVHOST_WIRE_NOTIFICATION) {
        mvhost_local_note_notification(payload, header->payload_length);
        mvhost_rings_deliver(header->sequence, payload, header->payload_length);
        return 1;
    }
    if (header->kind == MVHOST_WIRE_STATE) {
        mvhost_state_deliver(header->opcode, payload, header->payload_length);
        return 1;
    }
    return 0;
}

/*
 * Walks the reply: notification and STATE frames are applied in order, then the RESPONSE must end
 * it. With a NULL call (a flush of posted frames) the reply contains no RESPONSE.
 */
static int read_reply(struct mvhost_call *call, const uint8_t *reply, uint32_t length)
{
    uint32_t offset = 0;
    while (offset < length) {
        struct mvhost_wire_header header;
        if (mvhost_wire_parse_header(reply + offset, length - offset, &header) != MVHOST_WIRE_OK) {
            if (call != NULL) {
                mvhost_call_fail(call, "the reply contains a malformed frame envelope");
            }
            return 0;
        }
        const uint8_t *payload = reply + offset + MVHOST_WIRE_HEADER_BYTES;
        uint32_t frame_end = offset + MVHOST_WIRE_HEADER_BYTES + header.payload_length;

        if (take_unsolicited(&header, payload)) {
            offset = frame_end;
            continue;
        }
        if (call == NULL) {
            fprintf(stderr, "%s: mvhost_flush: ignoring an unexpected frame of kind %u in the reply to posted frames\n",
                    MODULE, (unsigned)header.kind);
            offset = frame_end;
            continue;
        }
        if (header.kind == MVHOST_WIRE_ERROR) {
            report_error_frame(call, payload, header.payload_length);
            return 0;
        }
        if (header.kind != MVHOST_WIRE_RESPONSE || header.opcode != call->opcode ||
            header.sequence != call->sequence) {
            mvhost_call_fail(call, "the reply's frame is not the RESPONSE to this request");
            return 0;
        }
        if (frame_end != length) {
            mvhost_call_fail(call, "bytes follow the RESPONSE frame in the reply");
            return 0;
        }

        struct mvhost_wire_field status;
        int written;
        mvhost_wire_reader_init(&call->outputs, payload, header.payload_length);
        if (mvhost_wire_read_expect(&call->outputs, MVHOST_WIRE_U32, 0, &status, &written) != MVHOST_WIRE_OK) {
            mvhost_call_fail(call, "the RESPONSE has no status field");
            return 0;
        }
        call->status = (uint32_t)status.value;
        return 1;
    }
    if (call == NULL) {
        return 1;
    }
    mvhost_call_fail(call, "the reply has no RESPONSE frame");
    return 0;
}

/* Appends `length` bytes to the queue of posted frames; returns 0 when memory runs out. */
static int append_posted(const uint8_t *bytes, size_t length)
{
    if (posted_length + length > posted_capacity) {
        size_t capacity = posted_capacity < 1024 ? 1024 : posted_capacity;
        while (capacity < posted_length + length) {
            capacity *= 2;
        }
        uint8_t *grown = realloc(posted, capacity);
        if (grown == NULL) {
            return 0;
        }
        posted = grown;
        posted_capacity = capacity;
    }
    memcpy(posted + posted_length, bytes, length);
    posted_length += length;
    return 1;
}

/* Empties the queue, overwriting its bytes first, because item reads carry secret values. */
static void clear_posted(size_t length)
{
    volatile uint8_t *bytes = posted;
    for (size_t i = 0; i < length; i++) {
        bytes[i] = 0;
    }
    posted_length = 0;
}

/* Set by the transport during an exchange that the simulator did not answer. */
static int exchange_answered_offline;

void mvhost_note_offline_exchange(void)
{
    exchange_answered_offline = 1;
}

/* Calls the transport and counts the exchange by who replied. The caller counts a failed one in transport_errors. */
static int32_t run_exchange(const uint8_t *request, uint32_t length)
{
    exchange_answered_offline = 0;
    exchange_in_progress = 1;
    int32_t reply_length = exchange_function(exchange_context, request, length, reply_buffer, REPLY_CAPACITY);
    exchange_in_progress = 0;
    if (exchange_answered_offline) {
        mvhost_counters.offline_exchanges++;
    } else if (reply_length >= 0 && (uint32_t)reply_length <= REPLY_CAPACITY) {
        mvhost_counters.exchanges++;
    }
    return reply_length;
}

/* Sends the queued frames on their own; the reply holds only what they produced. Lock held. */
static int flush_locked(void)
{
    if (posted_length == 0 || exchange_in_progress) {
        return 0;
    }
    if (exchange_function == NULL) {
        fprintf(stderr, "%s: dropping %u bytes of posted REPORT frames: no transport is set\n", MODULE,
                (unsigned)posted_length);
        clear_posted(posted_length);
        return MVHOST_ENOTRANSPORT;
    }

    uint32_t length = (uint32_t)posted_length;
    int32_t reply_length = run_exchange(posted, length);
    clear_posted(length);
    if (reply_length < 0 || (uint32_t)reply_length > REPLY_CAPACITY) {
        fprintf(stderr, "%s: mvhost_flush: the exchange of posted REPORT frames failed\n", MODULE);
        mvhost_counters.transport_errors++;
        return MVHOST_ETRANSPORT;
    }
    return read_reply(NULL, reply_buffer, (uint32_t)reply_length) ? 0 : MVHOST_ETRANSPORT;
}

MVHOST_API int mvhost_flush(void)
{
    mvhost_lock();
    int result = flush_locked();
    mvhost_unlock();
    if (interrupt_mode == MVHOST_INTERRUPTS_SYNCHRONOUS) {
        mvhost_irq_service();
    }
    return result;
}

void mvhost_set_posting(int enabled)
{
    mvhost_lock();
    if (!enabled) {
        (void)flush_locked();
    }
    posting_enabled = enabled;
    mvhost_unlock();
}

int mvhost_call_try_local(struct mvhost_call *call)
{
    mvhost_lock();
    /* Offline-issued handles are translated frame by frame on the way out, which posted frames would miss. */
    if (!posting_enabled || exchange_function == NULL || mvhost_offline_active()) {
        mvhost_unlock();
        return 0;
    }
    call->local = 1;
    mvhost_wire_writer_init(&call->answer, call->answer_storage, sizeof call->answer_storage);
    return 1;
}

void mvhost_call_decline_local(struct mvhost_call *call)
{
    mvhost_wire_writer_release(&call->answer);
    call->local = 0;
    mvhost_unlock();
}

uint32_t mvhost_call_end_local(struct mvhost_call *call, uint32_t status)
{
    struct mvhost_wire_writer report;
    uint8_t storage[256];
    mvhost_wire_writer_init(&report, storage, sizeof storage);
    mvhost_wire_begin_frame(&report, MVHOST_WIRE_REPORT, call->opcode, 0, next_sequence++);
    mvhost_wire_put_bytes(&report, call->writer.data + MVHOST_WIRE_HEADER_BYTES,
                          (uint32_t)(call->writer.length - MVHOST_WIRE_HEADER_BYTES));
    mvhost_wire_put_bytes(&report, call->answer.data, (uint32_t)call->answer.length);

    /* local_answers counts mv* calls only, as struct mvhost_stats documents; a SLEEP or WAIT answered in a
       quiet window shows as a control call without an exchange. */
    if (call->kind == MVHOST_WIRE_REQUEST) {
        mvhost_counters.syscalls++;
        mvhost_counters.local_answers++;
    } else {
        mvhost_counters.control_calls++;
    }
    /* A local close must end the link-loss tracking too, or a lost link would notify a closed channel. */
    mvhost_link_track(call->opcode, call->writer.data + MVHOST_WIRE_HEADER_BYTES,
                      (uint32_t)(call->writer.length - MVHOST_WIRE_HEADER_BYTES), call->answer.data,
                      (uint32_t)call->answer.length);
    if (call->writer.failed || call->answer.failed || mvhost_wire_finish_frame(&report) != MVHOST_WIRE_OK ||
        !append_posted(report.data, report.length)) {
        fprintf(stderr, "%s: %s: cannot queue the REPORT of its local answer; the kernel will not see this call\n",
                MODULE, call->function);
        mvhost_counters.transport_errors++;
    }
    if (posted_length > MAX_QUEUED_BYTES) {
        (void)flush_locked();
    }
    mvhost_wire_writer_release(&report);
    mvhost_wire_writer_release(&call->answer);
    mvhost_wire_writer_release(&call->writer);
    call->local = 0;
    call->status = status;
    mvhost_unlock();

    if (interrupt_mode == MVHOST_INTERRUPTS_SYNCHRONOUS) {
        mvhost_irq_service();
    }
    return status;
}

/* Sends the request, behind any posted frames, and returns the reply's length or -1. Lock held. */
static int32_t send_request(struct mvhost_call *call)
{
    const uint8_t *request = call->writer.data;
    uint32_t length = (uint32_t)call->writer.length;
    int batched = posted_length > 0;
    if (batched) {
        if (!append_posted(call->writer.data, call->writer.length)) {
            return -1;
        }
        request = posted;
        length = (uint32_t)posted_length;
    }
    int32_t reply_length = run_exchange(request, length);
    if (batched) {
        clear_posted(length);
    }
    return reply_length;
}

int mvhost_call_exchange(struct mvhost_call *call)
{
    mvhost_lock();
    call->exchanged = 1;
    if (call->kind == MVHOST_WIRE_REQUEST) {
        mvhost_counters.syscalls++;
    } else {
        mvhost_counters.control_calls++;
    }

    /* A firmware binary run with MVHOST_CONNECT set connects to a simulator on its first syscall. */
    if (exchange_function == NULL) {
        mvhost_bridge_install_from_environment();
    }
    if (exchange_function == NULL) {
        mvhost_counters.calls_without_transport++;
        const char *endpoint = getenv("MVHOST_CONNECT");
        if (!missing_transport_reported && endpoint != NULL && endpoint[0] != '\0') {
            /* The bridge has already printed why its settings or its device were rejected. */
            fprintf(stderr,
                    "%s: %s called with no transport, because libmvhost did not connect with the MVHOST_CONNECT "
                    "settings (see the message above); returning MV_STATUS_UNAVAILABLE (reported once until a "
                    "transport is set)\n",
                    MODULE, call->function);
            missing_transport_reported = 1;
        } else if (!missing_transport_reported) {
            fprintf(stderr,
                    "%s: %s called with no transport set; returning MV_STATUS_UNAVAILABLE. "
                    "To run a firmware binary on a simulator, set MVHOST_CONNECT (with MVHOST_DEVICE and "
                    "MVHOST_DEVICE_KEY); a program that embeds the kernel calls mvhost_set_inprocess_transport "
                    "first (reported once until a transport is set)\n",
                    MODULE, call->function);
            missing_transport_reported = 1;
        }
        call->status = MVHOST_STATUS_UNAVAILABLE;
        call->failed = 1;
        return 0;
    }

    int finished = mvhost_wire_finish_frame(&call->writer);
    if (finished != MVHOST_WIRE_OK) {
        mvhost_call_fail(call, "the request is larger than the 1 MiB frame payload maximum");
        return 0;
    }
    call->sequence = next_sequence++;
    for (unsigned i = 0; i < 4; i++) {
        call->writer.data[8 + i] = (uint8_t)(call->sequence >> (8 * i));
    }

    int32_t reply_length = send_request(call);
    if (reply_length < 0 || (uint32_t)reply_length > REPLY_CAPACITY) {
        mvhost_call_fail(call, "the in-process exchange function returned an error");
        return 0;
    }
    return read_reply(call, reply_buffer, (uint32_t)reply_length);
}

static int take(struct mvhost_call *call, uint8_t tag, struct mvhost_wire_field *field)
{
    int written = 0;
    if (call->failed) {
        return 0;
    }
    if (mvhost_wire_read_expect(&call->outputs, tag, 1, field, &written) != MVHOST_WIRE_OK) {
        mvhost_call_fail(call, "an output field of the RESPONSE has the wrong type or is truncated");
        return 0;
    }
    return written;
}

int mvhost_take_u32(struct mvhost_call *call, uint32_t *value)
{
    struct mvhost_wire_field field;
    if (!take(call, MVHOST_WIRE_U32, &field)) {
        return 0;
    }
    *value = (uint32_t)field.value;
    return 1;
}

int mvhost_take_u64(struct mvhost_call *call, uint64_t *value)
{
    struct mvhost_wire_field field;
    if (!take(call, MVHOST_WIRE_U64, &field)) {
        return 0;
    }
    *value = field.value;
    return 1;
}

int mvhost_take_bytes(struct mvhost_call *call, void *destination, uint32_t capacity, uint32_t *length)
{
    struct mvhost_wire_field field;
    if (!take(call, MVHOST_WIRE_BYTES, &field)) {
        return 0;
    }
    if (field.length > capacity) {
        mvhost_call_fail(call, "the kernel returned more bytes than the app buffer holds");
        return 0;
    }
    if (destination != NULL && field.length > 0) {
        memcpy(destination, field.bytes, field.length);
    }
    if (length != NULL) {
        *length = field.length;
    }
    return 1;
}

uint32_t mvhost_call_end(struct mvhost_call *call)
{
    if (call->exchanged) {
        if (!call->failed && !mvhost_wire_reader_at_end(&call->outputs)) {
            mvhost_call_fail(call, "the RESPONSE has more output fields than this call reads");
        }
        if (!call->failed) {
            mvhost_link_track(call->opcode, call->writer.data + MVHOST_WIRE_HEADER_BYTES,
                              (uint32_t)(call->writer.length - MVHOST_WIRE_HEADER_BYTES), call->outputs.data,
                              call->outputs.length);
        }
        mvhost_unlock();
    }
    mvhost_wire_writer_release(&call->writer);

    if (interrupt_mode == MVHOST_INTERRUPTS_SYNCHRONOUS) {
        mvhost_irq_service();
    }
    return call->status;
}

static int control_result(struct mvhost_call *call, int got_response)
{
    if (!got_response) {
        return call->status == MVHOST_STATUS_UNAVAILABLE ? MVHOST_ENOTRANSPORT : MVHOST_ETRANSPORT;
    }
    return call->status == 0 ? 0 : MVHOST_EREJECTED;
}

MVHOST_API int mvhost_clock_now_us(uint64_t *now_us)
{
    struct mvhost_call call;
    uint64_t value = 0;
    if (now_us == NULL) {
        return MVHOST_EINVAL;
    }

    /* The cached CLOCK state returns the time without an exchange; only the first read after a connection exchanges. */
    mvhost_lock();
    int cached = mvhost_device_clock_read(&value);
    mvhost_unlock();
    if (cached) {
        *now_us = value;
        return 0;
    }

    mvhost_control_begin(&call, MVHOST_OP_HARNESS_NOW, __func__);
    int got = mvhost_call_exchange(&call);
    if (got && mvhost_take_u64(&call, &value)) {
        *now_us = value;
        mvhost_device_clock_set_time(value);
    }
    mvhost_call_end(&call);
    return control_result(&call, got && !call.failed);
}

/*
 * Sends a SLEEP or WAIT control and stores the clock its reply carries. When by the last QUIET
 * state no kernel event falls due before the end, nothing can happen meanwhile: the virtual clock
 * just moves on, and a REPORT moves the kernel's clock the same way at the next exchange.
 */
static int clock_control(uint16_t opcode, const char *function, uint64_t duration_us, const uint64_t *step_us)
{
    struct mvhost_call call;
    uint64_t now = 0;
    mvhost_control_begin(&call, opcode, function);
    mvhost_wire_put_u64(&call.writer, duration_us);
    if (step_us != NULL) {
        mvhost_wire_put_u64(&call.writer, *step_us);
    }

    if (mvhost_call_try_local(&call)) {
        if (mvhost_device_clock_quiet_covers(duration_us, &now)) {
            mvhost_device_clock_set_time(now);
            mvhost_wire_put_u32(&call.answer, 0);
            mvhost_wire_put_u64(&call.answer, now);
            mvhost_call_end_local(&call, 0);
            return 0;
        }
        mvhost_call_decline_local(&call);
    }

    int got = mvhost_call_exchange(&call);
    if (got && mvhost_take_u64(&call, &now)) {
        mvhost_device_clock_set_time(now);
    }
    mvhost_call_end(&call);
    return control_result(&call, got && !call.failed);
}

MVHOST_API int mvhost_clock_sleep_us(uint64_t duration_us)
{
    return clock_control(MVHOST_OP_HARNESS_SLEEP, __func__, duration_us, NULL);
}

MVHOST_API int mvhost_clock_wait_us(uint64_t max_us, uint64_t step_us)
{
    if (step_us == 0) {
        return MVHOST_EINVAL;
    }

    /* On a wall clock the bridge waits on its socket for pushed frames, with no exchange at all. */
    mvhost_lock();
    int waited = -1;
    if (push_waiter != NULL && mvhost_device_clock_kind() == MVHOST_CLOCK_WALL) {
        /* Posted calls must not wait out the delay: over the bridge a flush is one write, with no reply. */
        (void)flush_locked();
        waited = push_waiter(max_us < step_us ? max_us : step_us);
    }
    mvhost_unlock();
    if (waited == 0) {
        if (interrupt_mode == MVHOST_INTERRUPTS_SYNCHRONOUS) {
            mvhost_irq_service();
        }
        return 0;
    }
    return clock_control(MVHOST_OP_HARNESS_WAIT, __func__, max_us, &step_us);
}

MVHOST_API int mvhost_poll(void)
{
    struct mvhost_call call;
    mvhost_control_begin(&call, MVHOST_OP_HARNESS_POLL, __func__);
    int got = mvhost_call_exchange(&call);
    mvhost_call_end(&call);
    return control_result(&call, got && !call.failed);
}

MVHOST_API int mvhost_deliver_frames(const uint8_t *frames, uint32_t length)
{
    if (frames == NULL && length > 0) {
        return MVHOST_EINVAL;
    }
    mvhost_lock();
    int result = mvhost_deliver_pushed(frames, length, "mvhost_deliver_frames");
    mvhost_unlock();
    return result;
}

int mvhost_deliver_pushed(const uint8_t *frames, uint32_t length, const char *source)
{
    int written = 0;
    uint32_t offset = 0;
    while (offset < length) {
        struct mvhost_wire_header header;
        int parsed = mvhost_wire_parse_header(frames + offset, length - offset, &header);
        if (parsed != MVHOST_WIRE_OK ||
            (header.kind != MVHOST_WIRE_NOTIFICATION && header.kind != MVHOST_WIRE_STATE)) {
            fprintf(stderr, "%s: %s: frame at offset %u is not a valid NOTIFICATION or STATE frame; dropping it and "
                    "the %u bytes after it\n", MODULE, source, (unsigned)offset, (unsigned)(length - offset));
            mvhost_counters.notifications_rejected++;
            return MVHOST_EMALFORMED;
        }
        const uint8_t *payload = frames + offset + MVHOST_WIRE_HEADER_BYTES;
        if (header.kind == MVHOST_WIRE_STATE) {
            mvhost_state_deliver(header.opcode, payload, header.payload_length);
        } else {
            mvhost_local_note_notification(payload, header.payload_length);
            written += mvhost_rings_deliver(header.sequence, payload, header.payload_length);
        }
        offset += MVHOST_WIRE_HEADER_BYTES + header.payload_length;
    }
    return written;
}
