#include "offline_handles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
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

/* Reads the handle output of a replayed call's reply: the RESPONSE must be OKAY with a u64. */
static uint64_t handle_from_reply(const uint8_t *reply, uint32_t length)
{
    uint32_t offset = 0;
    struct mvhost_wire_header header;
    while (offset < length && mvhost_wire_parse_header(reply + offset, length - offset, &header) == MVHOST_WIRE_OK) {
        const uint8_t *payload = reply + offset + MVHOST_WIRE_HEADER_BYTES;
        offset += MVHOST_WIRE_HEADER_BYTES + header.payload_length;
        if (header.kind != MVHOST_WIRE_RESPONSE) {
            continue;
        }
        struct mvhost_wire_reader reader;
        struct mvhost_wire_field status;
        struct mvhost_wire_field handle;
        int written = 0;
        mvhost_wire_reader_init(&reader, payload, header.payload_length);
        if (mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &status, &written) == MVHOST_WIRE_OK &&
            status.value == 0 && mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 1, &handle, &written) == MVHOST_WIRE_OK &&
            written) {
            return handle.value;
        }
    }
    return 0;
}

int mvhost_offline_replay(int32_t (*send)(const uint8_t *request, uint32_t length, uint32_t sequence,
                                          uint8_t *reply, uint32_t capacity),
                          uint8_t *reply, uint32_t capacity)
{
    for (unsigned i = 0; i < entry_count; i++) {
        struct offline_entry *entry = &entries[i];
        if (entry->kernel != 0 || entry->request == NULL) {
            continue;
        }

        /* An earlier replayed handle (a centre for a network request) may appear in this request. */
        uint8_t *translated = malloc(entry->length);
        if (translated == NULL) {
            return -1;
        }
        const uint8_t *request = mvhost_offline_translate(entry->request, entry->length, translated);
        if (request != translated) {
            memcpy(translated, request, entry->length);
        }
        uint32_t sequence = REPLAY_SEQUENCE_BASE + replay_sequence++;
        for (unsigned b = 0; b < 4; b++) {
            translated[8 + b] = (uint8_t)(sequence >> (8 * b));
        }
        int32_t length = send(translated, entry->length, sequence, reply, capacity);
        free(translated);
        if (length < 0) {
            return -1;
        }

        uint64_t kernel = length > 0 ? handle_from_reply(reply, (uint32_t)length) : 0;
        struct mvhost_wire_header header;
        mvhost_wire_parse_header(entry->request, entry->length, &header);
        if (kernel == 0) {
            fprintf(stderr, "%s: the simulator did not accept the offline request with opcode 0x%04x again; handle "
                    "0x%llx stays unknown to it\n", MODULE, (unsigned)header.opcode,
                    (unsigned long long)entry->offline);
        } else if (header.opcode == MVHOST_OP_SETUP_NOTIFICATIONS) {
            mvhost_rings_alias(entry->offline, kernel);
        }
        entry->kernel = kernel;
        free(entry->request);
        entry->request = NULL;
    }
    return 0;
}

int mvhost_offline_active(void)
{
    return entry_count > 0;
}

void mvhost_offline_forget(void)
{
    for (unsigned i = 0; i < entry_count; i++) {
        free(entries[i].request);
    }
    memset(entries, 0, sizeof entries);
    entry_count = 0;
}
