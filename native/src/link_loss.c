/*
 * What a device's app sees when its cloud connection drops, for the bridge's lost connection: the
 * kernel moves every network request to CONNECTING with a NETWORKSTATUSCHANGED record and closes
 * every channel with a CHANNELNOTCONNECTED record (closure reason NETWORKDISCONNECTED). libmvhost
 * cannot ask the kernel at that moment, so it remembers what the kernel opened from the calls'
 * replies. When the next connection meets a fresh kernel, the same tables tell that kernel which
 * objects to recreate under the app's handles (BRIDGE_RESTORE). Callers hold the transport lock.
 */
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "offline_handles.h"
#include "opcodes.h"
#include "wire.h"

#define MODULE "libmvhost"

/* Values of enum MvEventType in mv_syscalls.h. */
#define EVENT_NETWORKSTATUSCHANGED 1u
#define EVENT_CHANNELNOTCONNECTED 4u

/* Microvisor allows few channels and network requests at once; these bounds are well above them. */
#define MAX_TRACKED 32u

struct tracked {
    uint64_t handle;
    uint64_t centre;
    uint32_t tag;
    /* Channels only: the network request, the buffers, and whether a lost connection closed it. */
    uint64_t network;
    uint64_t receive_address;
    uint32_t receive_size;
    uint64_t send_address;
    uint32_t send_size;
    int closed;
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

static void add(struct tracked *table, const struct tracked *entry)
{
    for (unsigned i = 0; i < MAX_TRACKED; i++) {
        if (table[i].handle == 0 || table[i].handle == entry->handle) {
            table[i] = *entry;
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

/*
 * Both opening calls carry the centre handle and tag as request fields 2 and 3. mvOpenChannel
 * carries the network request and the receive and send buffers (pointer, size) as fields 4 to 8.
 */
static void track_open(struct tracked *table, const uint8_t *request, uint32_t request_length,
                       const uint8_t *response, uint32_t response_length)
{
    struct mvhost_wire_field status;
    struct mvhost_wire_field handle;
    struct mvhost_wire_field centre;
    struct mvhost_wire_field tag;
    if (!field_at(response, response_length, 0, MVHOST_WIRE_U32, &status) || status.value != 0 ||
        !field_at(response, response_length, 1, MVHOST_WIRE_U64, &handle) || handle.value == 0 ||
        !field_at(request, request_length, 2, MVHOST_WIRE_U64, &centre) ||
        !field_at(request, request_length, 3, MVHOST_WIRE_U32, &tag)) {
        return;
    }
    struct tracked entry = {.handle = handle.value, .centre = centre.value, .tag = (uint32_t)tag.value};
    struct mvhost_wire_field network;
    struct mvhost_wire_field receive;
    struct mvhost_wire_field receive_size;
    struct mvhost_wire_field send;
    struct mvhost_wire_field send_size;
    if (table == channels && field_at(request, request_length, 4, MVHOST_WIRE_U64, &network) &&
        field_at(request, request_length, 5, MVHOST_WIRE_POINTER, &receive) &&
        field_at(request, request_length, 6, MVHOST_WIRE_U32, &receive_size) &&
        field_at(request, request_length, 7, MVHOST_WIRE_POINTER, &send) &&
        field_at(request, request_length, 8, MVHOST_WIRE_U32, &send_size)) {
        entry.network = network.value;
        entry.receive_address = receive.value;
        entry.receive_size = (uint32_t)receive_size.value;
        entry.send_address = send.value;
        entry.send_size = (uint32_t)send_size.value;
    }
    add(table, &entry);
}

/*
 * The closing calls carry the handle as request field 1 and return status 0 once it is closed.
 * Returns the handle closed, or 0 when the call failed.
 */
static uint64_t track_close(struct tracked *table, const uint8_t *request, uint32_t request_length,
                            const uint8_t *response, uint32_t response_length)
{
    struct mvhost_wire_field status;
    struct mvhost_wire_field handle;
    if (field_at(response, response_length, 0, MVHOST_WIRE_U32, &status) && status.value == 0 &&
        field_at(request, request_length, 1, MVHOST_WIRE_U64, &handle)) {
        drop(table, handle.value);
        return handle.value;
    }
    return 0;
}

/*
 * Marks the channels on a released network request closed: the kernel closed them with their own
 * CHANNELNOTCONNECTED record, so a later lost connection must not write another. The app keeps
 * their handles until it closes them.
 */
static void close_channels_on(uint64_t network)
{
    for (unsigned i = 0; i < MAX_TRACKED; i++) {
        if (channels[i].handle != 0 && channels[i].network == network) {
            channels[i].closed = 1;
        }
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
    case MVHOST_OP_RELEASE_NETWORK: {
        uint64_t released = track_close(networks, request, request_length, response, response_length);
        if (released != 0) {
            close_channels_on(released);
        }
        break;
    }
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
        if (channels[i].handle != 0 && !channels[i].closed) {
            mvhost_rings_write_local(channels[i].centre, microseconds, EVENT_CHANNELNOTCONNECTED, channels[i].tag);
            channels[i].closed = 1;
        }
    }
    /*
     * The channels are closed now, but the app keeps their handles until it closes them, and a fresh
     * kernel must recreate them closed. Network requests stay open: the device connects again.
     */
}

void mvhost_link_forget(void)
{
    memset(networks, 0, sizeof networks);
    memset(channels, 0, sizeof channels);
}

/* A BRIDGE_RESTORE request under construction: its lists, counted before they are written. */
struct restore_lists {
    struct mvhost_wire_writer *writer; /* NULL while counting */
    uint32_t centres;
};

static void put_centre(void *context, uint64_t handle, uint64_t address, uint32_t size_bytes, uint32_t irq)
{
    struct restore_lists *lists = context;
    uint64_t kernel = mvhost_offline_kernel_handle(handle);
    if (kernel == 0) {
        return;
    }
    if (lists->writer == NULL) {
        lists->centres++;
        return;
    }
    mvhost_wire_put_u64(lists->writer, kernel);
    mvhost_wire_put_u64(lists->writer, address);
    mvhost_wire_put_u32(lists->writer, size_bytes);
    mvhost_wire_put_u32(lists->writer, irq);
}

/* Returns 1 if the entry's handle and centre are known to a kernel, and writes them to `handle` and `centre`. */
static int kernel_handles(const struct tracked *entry, uint64_t *handle, uint64_t *centre)
{
    *handle = entry->handle != 0 ? mvhost_offline_kernel_handle(entry->handle) : 0;
    *centre = mvhost_offline_kernel_handle(entry->centre);
    return *handle != 0 && *centre != 0;
}

static uint32_t count_restorable(const struct tracked *table)
{
    uint32_t count = 0;
    uint64_t handle;
    uint64_t centre;
    for (unsigned i = 0; i < MAX_TRACKED; i++) {
        count += (uint32_t)kernel_handles(&table[i], &handle, &centre);
    }
    return count;
}

static void put_restore_request(struct mvhost_wire_writer *writer)
{
    struct restore_lists lists = {NULL, 0};
    mvhost_rings_each(put_centre, &lists);
    mvhost_wire_put_list(writer, lists.centres, 4);
    lists.writer = writer;
    mvhost_rings_each(put_centre, &lists);

    uint64_t handle;
    uint64_t centre;
    mvhost_wire_put_list(writer, count_restorable(networks), 3);
    for (unsigned i = 0; i < MAX_TRACKED; i++) {
        if (kernel_handles(&networks[i], &handle, &centre)) {
            mvhost_wire_put_u64(writer, handle);
            mvhost_wire_put_u64(writer, centre);
            mvhost_wire_put_u32(writer, networks[i].tag);
        }
    }
    mvhost_wire_put_list(writer, count_restorable(channels), 8);
    for (unsigned i = 0; i < MAX_TRACKED; i++) {
        if (kernel_handles(&channels[i], &handle, &centre)) {
            mvhost_wire_put_u64(writer, handle);
            mvhost_wire_put_u64(writer, centre);
            mvhost_wire_put_u32(writer, channels[i].tag);
            mvhost_wire_put_u64(writer, mvhost_offline_kernel_handle(channels[i].network));
            mvhost_wire_put_u64(writer, channels[i].receive_address);
            mvhost_wire_put_u32(writer, channels[i].receive_size);
            mvhost_wire_put_u64(writer, channels[i].send_address);
            mvhost_wire_put_u32(writer, channels[i].send_size);
        }
    }
}

/* Returns the output of the reply's final RESPONSE to a BRIDGE_RESTORE, or -1 when the reply ends otherwise. */
static int64_t restored_count(const uint8_t *reply, uint32_t length)
{
    struct mvhost_wire_header header;
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field status;
    struct mvhost_wire_field count;
    int written;
    if (mvhost_wire_last_header(reply, length, &header) != MVHOST_WIRE_OK || header.kind != MVHOST_WIRE_RESPONSE ||
        header.opcode != MVHOST_OP_BRIDGE_RESTORE || header.payload_length > length) {
        return -1;
    }
    mvhost_wire_reader_init(&reader, reply + length - header.payload_length, header.payload_length);
    if (mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &status, &written) != MVHOST_WIRE_OK ||
        mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &count, &written) != MVHOST_WIRE_OK || status.value != 0) {
        return -1;
    }
    return (int64_t)count.value;
}

int mvhost_link_restore(int32_t (*send)(const uint8_t *request, uint32_t length, uint32_t sequence, uint8_t *reply,
                                        uint32_t capacity),
                        uint8_t *reply, uint32_t capacity)
{
    static uint32_t restore_sequence;
    /* Sequence numbers of their own, away from the app's calls and the offline replay's. */
    uint32_t sequence = 0xE0000000u + restore_sequence++;
    uint8_t storage[512];
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_CONTROL, MVHOST_OP_BRIDGE_RESTORE, 0, sequence);
    put_restore_request(&writer);
    int32_t length = -1;
    if (mvhost_wire_finish_frame(&writer) == MVHOST_WIRE_OK && !writer.failed) {
        length = send(writer.data, (uint32_t)writer.length, sequence, reply, capacity);
    }
    mvhost_wire_writer_release(&writer);
    if (length < 0) {
        return -1;
    }

    uint32_t offset = 0;
    struct mvhost_wire_header header;
    while (offset < (uint32_t)length &&
           mvhost_wire_parse_header(reply + offset, (uint32_t)length - offset, &header) == MVHOST_WIRE_OK) {
        uint32_t frame_length = MVHOST_WIRE_HEADER_BYTES + header.payload_length;
        if (header.kind == MVHOST_WIRE_NOTIFICATION || header.kind == MVHOST_WIRE_STATE) {
            mvhost_deliver_pushed(reply + offset, frame_length, "restore");
        }
        offset += frame_length;
    }
    if (restored_count(reply, (uint32_t)length) < 0) {
        fprintf(stderr, "%s: the simulator did not recreate the app's notification centres, network requests and "
                "channels in its fresh kernel (its reply is not a RESPONSE to BRIDGE_RESTORE); calls on them may "
                "return MV_STATUS_INVALIDHANDLE\n", MODULE);
    }
    return 0;
}
