/*
 * What a device's app sees when its cloud connection drops, for the bridge's lost connection: the
 * kernel moves every network request to CONNECTING with a NETWORKSTATUSCHANGED record and closes
 * every channel with a CHANNELNOTCONNECTED record (closure reason NETWORKDISCONNECTED). libmvhost
 * cannot ask the kernel at that moment, so it remembers what the kernel opened from the calls'
 * replies. Callers hold the transport lock.
 */
#include <string.h>

#include "host.h"
#include "opcodes.h"
#include "wire.h"

/* Values of enum MvEventType in mv_syscalls.h. */
#define EVENT_NETWORKSTATUSCHANGED 1u
#define EVENT_CHANNELNOTCONNECTED 4u

/* Microvisor allows few channels and network requests at once; these bounds are well above them. */
#define MAX_TRACKED 32u

struct tracked {
    uint64_t handle;
    uint64_t centre;
    uint32_t tag;
};

static struct tracked networks[MAX_TRACKED];
static struct tracked channels[MAX_TRACKED];

/* Reads the field at `index` of a payload; returns 1 if it has `tag`. */
static int field_at(const uint8_t *payload, uint32_t length, unsigned index, uint8_t tag,
                    struct mvhost_wire_field *field)
{
    struct mvhost_wire_reader reader;
    mvhost_wire_reader_init(&reader, payload, length);
    for (unsigned i = 0; i <= index; i++) {
        if (mvhost_wire_read_field(&reader, field) != MVHOST_WIRE_OK) {
            return 0;
        }
    }
    return field->tag == tag;
}

static void add(struct tracked *table, uint64_t handle, uint64_t centre, uint32_t tag)
{
    for (unsigned i = 0; i < MAX_TRACKED; i++) {
        if (table[i].handle == 0 || table[i].handle == handle) {
            table[i] = (struct tracked){handle, centre, tag};
            return;
        }
    }
}

static void drop(struct tracked *table, uint64_t handle)
{
    for (unsigned i = 0; i < MAX_TRACKED; i++) {
        if (table[i].handle == handle) {
            table[i].handle = 0;
        }
    }
}

/* Both opening calls carry the centre handle and tag as request fields 2 and 3. */
static void track_open(struct tracked *table, const uint8_t *request, uint32_t request_length,
                       const uint8_t *response, uint32_t response_length)
{
    struct mvhost_wire_field status;
    struct mvhost_wire_field handle;
    struct mvhost_wire_field centre;
    struct mvhost_wire_field tag;
    if (field_at(response, response_length, 0, MVHOST_WIRE_U32, &status) && status.value == 0 &&
        field_at(response, response_length, 1, MVHOST_WIRE_U64, &handle) && handle.value != 0 &&
        field_at(request, request_length, 2, MVHOST_WIRE_U64, &centre) &&
        field_at(request, request_length, 3, MVHOST_WIRE_U32, &tag)) {
        add(table, handle.value, centre.value, (uint32_t)tag.value);
    }
}

/* The closing calls carry the handle as request field 1 and return status 0 once it is closed. */
static void track_close(struct tracked *table, const uint8_t *request, uint32_t request_length,
                        const uint8_t *response, uint32_t response_length)
{
    struct mvhost_wire_field status;
    struct mvhost_wire_field handle;
    if (field_at(response, response_length, 0, MVHOST_WIRE_U32, &status) && status.value == 0 &&
        field_at(request, request_length, 1, MVHOST_WIRE_U64, &handle)) {
        drop(table, handle.value);
    }
}

void mvhost_link_track(uint16_t opcode, const uint8_t *request, uint32_t request_length, const uint8_t *response,
                       uint32_t response_length)
{
    switch (opcode) {
    case MVHOST_OP_OPEN_CHANNEL:
        track_open(channels, request, request_length, response, response_length);
        break;
    case MVHOST_OP_REQUEST_NETWORK:
        track_open(networks, request, request_length, response, response_length);
        break;
    case MVHOST_OP_CLOSE_CHANNEL:
        track_close(channels, request, request_length, response, response_length);
        break;
    case MVHOST_OP_RELEASE_NETWORK:
        track_close(networks, request, request_length, response, response_length);
        break;
    default:
        break;
    }
}

void mvhost_link_lost(uint64_t microseconds)
{
    for (unsigned i = 0; i < MAX_TRACKED; i++) {
        if (networks[i].handle != 0) {
            mvhost_rings_write_local(networks[i].centre, microseconds, EVENT_NETWORKSTATUSCHANGED, networks[i].tag);
        }
    }
    for (unsigned i = 0; i < MAX_TRACKED; i++) {
        if (channels[i].handle != 0) {
            mvhost_rings_write_local(channels[i].centre, microseconds, EVENT_CHANNELNOTCONNECTED, channels[i].tag);
        }
    }
    /* The channels are closed now. Network requests stay: a kernel reattached after a reconnect still has them. */
    memset(channels, 0, sizeof channels);
}

void mvhost_link_forget(void)
{
    memset(networks, 0, sizeof networks);
    memset(channels, 0, sizeof channels);
}
