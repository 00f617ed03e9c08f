#include "offline_handles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "lost_request.h"
#include "opcodes.h"
#include "wire.h"

#define MODULE "libmvhost"

/* Offline handles carry 'M' 'V' in their top bytes, far from kernel handles and app addresses. */
#define OFFLINE_HANDLE_BASE 0x4D56000000000000ull
/* Microvisor allows 32 notification centres and few network requests; this bound is above both. */
#define MAX_OFFLINE 48u
/* Replayed requests get sequence numbers from the top of the range, away from the app's calls. */
#define REPLAY_SEQUENCE_BASE 0xF0000000u

struct offline_entry {
    uint64_t offline;
    uint64_t kernel;
    uint8_t *request;
    uint32_t length;
};

static struct offline_entry entries[MAX_OFFLINE];
static unsigned entry_count;

/* Close requests answered offline for handles the kernel knows, sent to it before the next replay. */
struct pending_close {
    uint8_t *request;
    uint32_t length;
};

static struct pending_close pending_closes[MAX_OFFLINE];
static unsigned pending_close_count;
static int pending_closes_overflow_reported;
static uint64_t issued;
static uint32_t replay_sequence;

uint64_t mvhost_offline_issue(const uint8_t *request, uint32_t length)
{
    if (entry_count == MAX_OFFLINE) {
        return 0;
    }
    uint8_t *copy = malloc(length);
    if (copy == NULL) {
        return 0;
    }
    memcpy(copy, request, length);
    entries[entry_count] = (struct offline_entry){OFFLINE_HANDLE_BASE + ++issued, 0, copy, length};
    return entries[entry_count++].offline;
}

static uint64_t kernel_handle_for(uint64_t value)
{
    for (unsigned i = 0; i < entry_count; i++) {
        if (entries[i].offline == value && entries[i].kernel != 0) {
            return entries[i].kernel;
        }
    }
    return 0;
}

uint64_t mvhost_offline_kernel_handle(uint64_t handle)
{
    if (handle <= OFFLINE_HANDLE_BASE || handle > OFFLINE_HANDLE_BASE + issued) {
        return handle;
    }
    return kernel_handle_for(handle);
}

const uint8_t *mvhost_offline_translate(const uint8_t *request, uint32_t length, uint8_t *out)
{
    struct mvhost_wire_header header;
    if (entry_count == 0 || mvhost_wire_parse_header(request, length, &header) != MVHOST_WIRE_OK) {
        return request;
    }

    struct mvhost_wire_reader reader;
    struct mvhost_wire_field field;
    int copied = 0;
    mvhost_wire_reader_init(&reader, request + MVHOST_WIRE_HEADER_BYTES, header.payload_length);
    while (!mvhost_wire_reader_at_end(&reader) && mvhost_wire_read_field(&reader, &field) == MVHOST_WIRE_OK) {
        uint64_t kernel = field.tag == MVHOST_WIRE_U64 ? kernel_handle_for(field.value) : 0;
        if (kernel == 0) {
            continue;
        }
        if (!copied) {
            memcpy(out, request, length);
            copied = 1;
        }
        /* The u64's eight bytes end at the reader's position. */
        uint8_t *value = out + MVHOST_WIRE_HEADER_BYTES + reader.position - 8;
        for (unsigned i = 0; i < 8; i++) {
            value[i] = (uint8_t)(kernel >> (8 * i));
        }
    }
    return copied ? out : request;
}

/* Returns the handle a close request names (its u64 field after the handle pointer), or 0. */
static uint64_t closed_handle(const uint8_t *request, uint32_t length)
{
    struct mvhost_wire_header header;
    if (mvhost_wire_parse_header(request, length, &header) != MVHOST_WIRE_OK) {
        return 0;
    }
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field field;
    int written = 0;
    mvhost_wire_reader_init(&reader, request + MVHOST_WIRE_HEADER_BYTES, header.payload_length);
    if (mvhost_wire_read_expect(&reader, MVHOST_WIRE_POINTER, 0, &field, &written) != MVHOST_WIRE_OK ||
        mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &field, &written) != MVHOST_WIRE_OK) {
        return 0;
    }
    return field.value;
}

static void remove_entry(unsigned index)
{
    free(entries[index].request);
    memmove(&entries[index], &entries[index + 1], (entry_count - index - 1) * sizeof entries[0]);
    entry_count--;
    memset(&entries[entry_count], 0, sizeof entries[0]);
}

void mvhost_offline_forget_closed(const uint8_t *request, uint32_t length)
{
    uint64_t handle = closed_handle(request, length);
    for (unsigned i = 0; handle != 0 && i < entry_count; i++) {
        if (entries[i].offline == handle) {
            remove_entry(i);
            return;
        }
    }
}

void mvhost_offline_note_close(const uint8_t *request, uint32_t length)
{
    uint64_t handle = closed_handle(request, length);
    if (handle == 0) {
        return;
    }
    for (unsigned i = 0; i < entry_count; i++) {
        if (entries[i].offline == handle && entries[i].kernel == 0) {
            /* The kernel never saw this handle, so there is nothing to close there. */
            remove_entry(i);
            return;
        }
    }

    /* A handle the kernel issued stays open there until the kernel receives the close. Without it, a
       kept kernel would still hold the app's ring, so the app's next mvSetupNotifications of it would fail. */
    uint8_t *copy = pending_close_count < MAX_OFFLINE ? malloc(length) : NULL;
    if (copy == NULL) {
        if (!pending_closes_overflow_reported) {
            fprintf(stderr, "%s: cannot keep more than %u closes made offline; the simulator will not hear of "
                    "handle 0x%llx being closed\n", MODULE, MAX_OFFLINE, (unsigned long long)handle);
            pending_closes_overflow_reported = 1;
        }
        return;
    }
    memcpy(copy, request, length);
    pending_closes[pending_close_count++] = (struct pending_close){copy, length};
}

/*
 * Finds the first RESPONSE of a reply and reads its status into `status`, leaving `reader` at its
 * first output. Returns 0, or -1 when the reply has no RESPONSE with a status (an ERROR frame, say).
 */
static int read_response_status(const uint8_t *reply, uint32_t length, struct mvhost_wire_reader *reader,
                                uint32_t *status)
{
    uint32_t offset = 0;
    struct mvhost_wire_header header;
    while (offset < length && mvhost_wire_parse_header(reply + offset, length - offset, &header) == MVHOST_WIRE_OK) {
        const uint8_t *payload = reply + offset + MVHOST_WIRE_HEADER_BYTES;
        offset += MVHOST_WIRE_HEADER_BYTES + header.payload_length;
        if (header.kind != MVHOST_WIRE_RESPONSE) {
            continue;
        }
        struct mvhost_wire_field field;
        int written = 0;
        mvhost_wire_reader_init(reader, payload, header.payload_length);
        if (mvhost_wire_read_expect(reader, MVHOST_WIRE_U32, 0, &field, &written) != MVHOST_WIRE_OK) {
            return -1;
        }
        *status = (uint32_t)field.value;
        return 0;
    }
    return -1;
}

/* Returns the status of the reply's RESPONSE, or 0xFFFFFFFF when it has none (an ERROR frame, say). */
static uint32_t status_in_reply(const uint8_t *reply, uint32_t length)
{
    struct mvhost_wire_reader reader;
    uint32_t status = 0;
    return read_response_status(reply, length, &reader, &status) == 0 ? status : 0xFFFFFFFFu;
}

uint64_t mvhost_offline_handle_in_reply(const uint8_t *reply, uint32_t length)
{
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field handle;
    uint32_t status = 0;
    int written = 0;
    if (read_response_status(reply, length, &reader, &status) != 0 || status != 0 ||
        mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 1, &handle, &written) != MVHOST_WIRE_OK || !written) {
        return 0;
    }
    return handle.value;
}

/* Gives an offline handle the kernel's handle for the same call, and stops keeping its request. */
static void bind_entry(struct offline_entry *entry, uint64_t kernel)
{
    struct mvhost_wire_header header;
    if (mvhost_wire_parse_header(entry->request, entry->length, &header) == MVHOST_WIRE_OK &&
        header.opcode == MVHOST_OP_SETUP_NOTIFICATIONS) {
        mvhost_rings_alias(entry->offline, kernel);
    }
    entry->kernel = kernel;
    free(entry->request);
    entry->request = NULL;
}

int mvhost_offline_bind(uint64_t offline, uint64_t kernel)
{
    for (unsigned i = 0; i < entry_count; i++) {
        if (entries[i].offline == offline && entries[i].kernel == 0 && entries[i].request != NULL) {
            bind_entry(&entries[i], kernel);
            return 1;
        }
    }
    return 0;
}

void mvhost_offline_queue_close(uint16_t close_opcode, uint64_t kernel)
{
    /* The kernel writes the closed handle's new value to the pointer; any address the app does not read will do. */
    static uint64_t unread_handle;
    uint8_t storage[48];
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_REQUEST, close_opcode, 0, 0);
    mvhost_wire_put_pointer(&writer, &unread_handle);
    mvhost_wire_put_u64(&writer, kernel);
    if (mvhost_wire_finish_frame(&writer) == MVHOST_WIRE_OK && !writer.failed) {
        mvhost_offline_note_close(writer.data, (uint32_t)writer.length);
    }
    mvhost_wire_writer_release(&writer);
}

/*
 * Delivers the NOTIFICATION and STATE frames ahead of a replayed call's RESPONSE, as for any reply.
 * The kernel writes its ring from slot 0 on, so a dropped record (the NETWORKSTATUSCHANGED a
 * replayed mvRequestNetwork raises) leaves slot 0 empty. An app that reads its ring from slot 0
 * stops at that empty slot and never handles the later records.
 */
static void deliver_records(const uint8_t *reply, uint32_t length)
{
    uint32_t offset = 0;
    struct mvhost_wire_header header;
    while (offset < length && mvhost_wire_parse_header(reply + offset, length - offset, &header) == MVHOST_WIRE_OK) {
        uint32_t frame_length = MVHOST_WIRE_HEADER_BYTES + header.payload_length;
        if (header.kind == MVHOST_WIRE_NOTIFICATION || header.kind == MVHOST_WIRE_STATE) {
            mvhost_deliver_pushed(reply + offset, frame_length, "offline replay");
        }
        offset += frame_length;
    }
}

/*
 * Sends a stored request with its offline handles replaced and a replay sequence number. A request
 * whose reply the connection lost is noted with `offline`, the handle the app holds for it (or 0).
 */
static int32_t send_translated(const uint8_t *stored, uint32_t stored_length, uint64_t offline,
                               int32_t (*send)(const uint8_t *request, uint32_t length, uint32_t sequence,
                                               uint8_t *reply, uint32_t capacity),
                               uint8_t *reply, uint32_t capacity)
{
    /* An earlier replayed handle (a centre for a network request) may appear in this request. */
    uint8_t *translated = malloc(stored_length);
    if (translated == NULL) {
        return -1;
    }
    const uint8_t *request = mvhost_offline_translate(stored, stored_length, translated);
    if (request != translated) {
        memcpy(translated, request, stored_length);
    }
    uint32_t sequence = REPLAY_SEQUENCE_BASE + replay_sequence++;
    for (unsigned b = 0; b < 4; b++) {
        translated[8 + b] = (uint8_t)(sequence >> (8 * b));
    }
    int32_t length = send(translated, stored_length, sequence, reply, capacity);
    if (length < 0) {
        mvhost_lost_request_note(translated, stored_length, offline);
    }
    free(translated);
    if (length > 0) {
        deliver_records(reply, (uint32_t)length);
    }
    return length;
}

/* Sends the closes made offline; the kernel's status is not needed, since the app's handle is already zero. */
static int send_pending_closes(int32_t (*send)(const uint8_t *request, uint32_t length, uint32_t sequence,
                                               uint8_t *reply, uint32_t capacity),
                               uint8_t *reply, uint32_t capacity)
{
    while (pending_close_count > 0) {
        struct pending_close *close = &pending_closes[0];
        if (send_translated(close->request, close->length, 0, send, reply, capacity) < 0) {
            return -1;
        }
        mvhost_offline_forget_closed(close->request, close->length);
        free(close->request);
        memmove(&pending_closes[0], &pending_closes[1], (pending_close_count - 1) * sizeof pending_closes[0]);
        pending_close_count--;
    }
    return 0;
}

int mvhost_offline_replay(int32_t (*send)(const uint8_t *request, uint32_t length, uint32_t sequence,
                                          uint8_t *reply, uint32_t capacity),
                          uint8_t *reply, uint32_t capacity)
{
    /* Closes first: a ring or buffer the app closed offline may be named again by a replayed setup. */
    if (send_pending_closes(send, reply, capacity) != 0) {
        return -1;
    }
    for (unsigned i = 0; i < entry_count; i++) {
        struct offline_entry *entry = &entries[i];
        if (entry->kernel != 0 || entry->request == NULL) {
            continue;
        }

        int32_t length = send_translated(entry->request, entry->length, entry->offline, send, reply, capacity);
        if (length < 0) {
            return -1;
        }

        uint64_t kernel = length > 0 ? mvhost_offline_handle_in_reply(reply, (uint32_t)length) : 0;
        if (kernel != 0) {
            bind_entry(entry, kernel);
            continue;
        }
        struct mvhost_wire_header header;
        mvhost_wire_parse_header(entry->request, entry->length, &header);
        fprintf(stderr, "%s: the simulator did not accept the offline request with opcode 0x%04x again (status %u); "
                "handle 0x%llx stays unknown to it\n", MODULE, (unsigned)header.opcode,
                (unsigned)status_in_reply(reply, length > 0 ? (uint32_t)length : 0),
                (unsigned long long)entry->offline);
        free(entry->request);
        entry->request = NULL;
    }
    return 0;
}

int mvhost_offline_active(void)
{
    return entry_count > 0 || pending_close_count > 0;
}

void mvhost_offline_forget(void)
{
    for (unsigned i = 0; i < entry_count; i++) {
        free(entries[i].request);
    }
    memset(entries, 0, sizeof entries);
    entry_count = 0;
    for (unsigned i = 0; i < pending_close_count; i++) {
        free(pending_closes[i].request);
    }
    memset(pending_closes, 0, sizeof pending_closes);
    pending_close_count = 0;
    pending_closes_overflow_reported = 0;
}
