#include "lost_request.h"

#include <stdio.h>

#include "host.h"
#include "offline_handles.h"
#include "opcodes.h"
#include "wire.h"

#define MODULE "libmvhost"

static struct {
    int pending;
    uint32_t sequence;
    uint16_t opcode;
    uint64_t offline_handle;
} lost;

/*
 * The kernel's sequence number of the last NOTIFICATION frame read, valid when `read_any` is set,
 * and whether a connection was up since boot.
 */
static struct {
    int read_any;
    uint32_t sequence;
    int connected_before;
} kernel;

void mvhost_lost_request_note(const uint8_t *request, uint32_t length, uint64_t offline_handle)
{
    struct mvhost_wire_header header;
    if (mvhost_wire_parse_header(request, length, &header) != MVHOST_WIRE_OK) {
        return; /* only a bug in libmvhost's own framing gets here */
    }
    lost.pending = 1;
    lost.sequence = header.sequence;
    lost.opcode = header.opcode;
    lost.offline_handle = offline_handle;
}

void mvhost_lost_request_note_read(uint32_t sequence)
{
    kernel.read_any = 1;
    kernel.sequence = sequence;
}

void mvhost_lost_request_note_connected(void)
{
    kernel.connected_before = 1;
}

int mvhost_lost_request_resume_due(void)
{
    return lost.pending || kernel.connected_before;
}

void mvhost_lost_request_forget(void)
{
    lost.pending = 0;
    kernel.read_any = 0;
    kernel.connected_before = 0;
}

/*
 * Returns 1 if libmvhost read the frame numbered `sequence` already: it is the last one read or
 * comes before it. The comparison is serial-number arithmetic, because the counter wraps at 2^32:
 * of two numbers, the later one is less than 2^31 ahead.
 */
static int read_before(uint32_t sequence)
{
    if (!kernel.read_any) {
        return 0;
    }
    uint32_t ahead = sequence - kernel.sequence;
    return ahead == 0 || ahead >= 0x80000000u;
}

/* Returns the close that undoes a call which issues a handle, or 0 for any other call. */
static uint16_t close_opcode_for(uint16_t opcode)
{
    switch (opcode) {
    case MVHOST_OP_SETUP_NOTIFICATIONS:
        return MVHOST_OP_CLOSE_NOTIFICATIONS;
    case MVHOST_OP_REQUEST_NETWORK:
        return MVHOST_OP_RELEASE_NETWORK;
    case MVHOST_OP_OPEN_CHANNEL:
        return MVHOST_OP_CLOSE_CHANNEL;
    default:
        return 0;
    }
}

/* Returns the opcode of the reply's last frame, the RESPONSE or ERROR that ends it; 0 if the reply is malformed. */
static uint16_t final_opcode(const uint8_t *reply, uint32_t length)
{
    struct mvhost_wire_header header;
    if (mvhost_wire_last_header(reply, length, &header) != MVHOST_WIRE_OK) {
        return 0;
    }
    return header.kind == MVHOST_WIRE_RESPONSE || header.kind == MVHOST_WIRE_ERROR ? header.opcode : 0;
}

/*
 * Writes the reply's notifications into the rings, after the records libmvhost wrote for the loss
 * (see mvhost_rings_deliver), less those read before the connection broke. Its states are left
 * out: they describe the kernel before the connection broke, and the kernel sends current ones
 * with its next reply.
 */
static void deliver_notifications(const uint8_t *reply, uint32_t length)
{
    uint32_t offset = 0;
    struct mvhost_wire_header header;
    while (offset < length && mvhost_wire_parse_header(reply + offset, length - offset, &header) == MVHOST_WIRE_OK) {
        uint32_t frame_length = MVHOST_WIRE_HEADER_BYTES + header.payload_length;
        if (header.kind == MVHOST_WIRE_NOTIFICATION && !read_before(header.sequence)) {
            mvhost_rings_deliver(header.sequence, reply + offset + MVHOST_WIRE_HEADER_BYTES, header.payload_length);
        }
        offset += frame_length;
    }
}

/* Returns 1 if the output of the RESPONSE to a RESUME is 1: the kernel is the one libmvhost used before. */
static int kernel_kept(const uint8_t *reply, uint32_t length)
{
    struct mvhost_wire_header header;
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field status;
    struct mvhost_wire_field kept;
    int written;
    if (mvhost_wire_last_header(reply, length, &header) != MVHOST_WIRE_OK || header.payload_length > length) {
        return 0;
    }
    mvhost_wire_reader_init(&reader, reply + length - header.payload_length, header.payload_length);
    return mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &status, &written) == MVHOST_WIRE_OK &&
           mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &kept, &written) == MVHOST_WIRE_OK &&
           kept.value == 1;
}

/* Brings libmvhost's handles in line with what the kernel did with the lost request. */
static void settle_handle(const uint8_t *reply, uint32_t length)
{
    uint16_t close_opcode = close_opcode_for(lost.opcode);
    uint64_t kernel_handle = close_opcode != 0 ? mvhost_offline_handle_in_reply(reply, length) : 0;
    if (kernel_handle == 0) {
        return;
    }
    if (lost.offline_handle != 0 && mvhost_offline_bind(lost.offline_handle, kernel_handle)) {
        return;
    }
    /* The app got a failure, or closed the offline handle since: the kernel's handle must not stay open. */
    mvhost_offline_queue_close(close_opcode, kernel_handle);
}

/*
 * Recreates the app's objects in the fresh kernel a reconnection met. That kernel numbers its
 * frames and fills its rings from the start.
 */
static int restore_in_fresh_kernel(int32_t (*send)(const uint8_t *request, uint32_t length, uint32_t sequence,
                                                   uint8_t *reply, uint32_t capacity),
                                   uint8_t *reply, uint32_t capacity)
{
    kernel.read_any = 0;
    fprintf(stderr, "%s: the simulator gave this device a fresh kernel (it restarted, or dropped the kernel it kept "
            "for the device); libmvhost recreates the app's notification centres, network requests and channels "
            "there under the handles the app holds, so the app sees a lost cloud connection: the network connects "
            "again and channels stay closed with MV_CLOSUREREASON_NETWORKDISCONNECTED\n", MODULE);
    mvhost_rings_rebase();
    return mvhost_link_restore(send, reply, capacity);
}

int mvhost_lost_request_resume(int32_t (*send)(const uint8_t *request, uint32_t length, uint32_t sequence,
                                               uint8_t *reply, uint32_t capacity),
                               uint8_t *reply, uint32_t capacity)
{
    if (!mvhost_lost_request_resume_due()) {
        return 0;
    }

    /* With no request lost, opcode 0 matches no remembered reply, and sequence 0 is as good as any. */
    uint32_t sequence = lost.pending ? lost.sequence : 0;
    uint8_t storage[48];
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_CONTROL, MVHOST_OP_BRIDGE_RESUME, 0, sequence);
    mvhost_wire_put_u32(&writer, lost.pending ? lost.opcode : 0);
    mvhost_wire_put_u32(&writer, (uint32_t)kernel.read_any);
    mvhost_wire_put_u32(&writer, kernel.read_any ? kernel.sequence : 0);
    int32_t length = -1;
    if (mvhost_wire_finish_frame(&writer) == MVHOST_WIRE_OK && !writer.failed) {
        length = send(writer.data, (uint32_t)writer.length, sequence, reply, capacity);
    }
    mvhost_wire_writer_release(&writer);
    if (length < 0) {
        return -1;
    }

    int was_pending = lost.pending;
    lost.pending = 0;
    uint16_t reply_opcode = final_opcode(reply, (uint32_t)length);
    if (reply_opcode == MVHOST_OP_BRIDGE_RESUME) {
        /* The lost request, if any, never reached the kernel. */
        deliver_notifications(reply, (uint32_t)length);
        if (!kernel_kept(reply, (uint32_t)length)) {
            return restore_in_fresh_kernel(send, reply, capacity);
        }
        return 0;
    }
    if (!was_pending || reply_opcode != lost.opcode) {
        fprintf(stderr, "%s: the simulator's reply to the resume of request %u ends with opcode 0x%04x, not 0x%04x; "
                "ignoring it\n", MODULE, (unsigned)sequence, (unsigned)reply_opcode,
                (unsigned)(was_pending ? lost.opcode : MVHOST_OP_BRIDGE_RESUME));
        return 0;
    }
    fprintf(stderr, "%s: the simulator had run request %u (opcode 0x%04x) before the connection broke; its reply "
            "arrived now\n", MODULE, (unsigned)lost.sequence, (unsigned)lost.opcode);
    deliver_notifications(reply, (uint32_t)length);
    settle_handle(reply, (uint32_t)length);
    return 0;
}
