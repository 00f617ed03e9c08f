/* clock_gettime and nanosleep are POSIX, hidden under plain C11. */
#define _POSIX_C_SOURCE 200809L

#include "transport_local.h"

#include <string.h>
#include <time.h>

#include "device_clock.h"
#include "offline_handles.h"
#include "opcodes.h"
#include "wire.h"

/* Values from mv_syscalls.h, repeated to keep this file free of the app-facing header. */
#define STATUS_OKAY 0x00u
#define STATUS_UNAVAILABLE 0x0Au
#define STATUS_CHANNELCLOSED 0x0Fu
#define STATUS_NETWORKNOTCONNECTED 0x10u
#define NETWORKSTATUS_CONNECTING 0x2u
#define CLOSUREREASON_NETWORKDISCONNECTED 0x3u

/* Number of output fields in each opcode's RESPONSE (the response schemas of dev.mvsim.wire.Opcode). */
static unsigned output_count(uint16_t opcode)
{
    switch (opcode) {
    case MVHOST_OP_GET_NETWORK_REASONS:
    case MVHOST_OP_READ_CHANNEL:
    case MVHOST_OP_READ_CONFIG_FETCH_RESPONSE_DATA:
        return 2;
    case MVHOST_OP_READ_CONFIG_RESPONSE_ITEM:
        return 3;
    case MVHOST_OP_READ_HTTP_RESPONSE_DATA:
        return 4;
    case MVHOST_OP_GET_MICROSECONDS: case MVHOST_OP_GET_SYS_CLK: case MVHOST_OP_GET_H_CLK:
    case MVHOST_OP_GET_P_CLK1: case MVHOST_OP_GET_P_CLK2: case MVHOST_OP_GET_WALL_TIME:
    case MVHOST_OP_GET_DEVICE_ID: case MVHOST_OP_PERIPH_PEEK32: case MVHOST_OP_SETUP_NOTIFICATIONS:
    case MVHOST_OP_CLOSE_NOTIFICATIONS: case MVHOST_OP_REQUEST_NETWORK: case MVHOST_OP_RELEASE_NETWORK:
    case MVHOST_OP_GET_NETWORK_STATUS: case MVHOST_OP_OPEN_CHANNEL: case MVHOST_OP_WRITE_CHANNEL_STREAM:
    case MVHOST_OP_WRITE_CHANNEL: case MVHOST_OP_CLOSE_CHANNEL: case MVHOST_OP_GET_CHANNEL_CLOSURE_REASON:
    case MVHOST_OP_READ_HTTP_RESPONSE_HEADER: case MVHOST_OP_READ_HTTP_RESPONSE_BODY:
    case MVHOST_OP_MQTT_GET_NEXT_READABLE_DATA_TYPE: case MVHOST_OP_OPEN_SYSTEM_NOTIFICATION:
    case MVHOST_OP_CLOSE_SYSTEM_NOTIFICATION: case MVHOST_OP_GET_WAKE_REASON: case MVHOST_OP_EXTERNAL_FLASH_OPEN:
    case MVHOST_OP_EXTERNAL_FLASH_CLOSE: case MVHOST_OP_EXTERNAL_FLASH_READ_BLOCKING:
    case MVHOST_OP_HARNESS_NOW: case MVHOST_OP_HARNESS_SLEEP: case MVHOST_OP_HARNESS_WAIT:
        return 1;
    default:
        return 0;
    }
}

static uint64_t clock_micros(clockid_t clock)
{
    struct timespec now;
    clock_gettime(clock, &now);
    return (uint64_t)now.tv_sec * 1000000u + (uint64_t)now.tv_nsec / 1000u;
}

/* Opcodes that need the cloud connection: a device offline gets NETWORKNOTCONNECTED or CHANNELCLOSED. */
static uint32_t channel_status(uint16_t opcode)
{
    if (opcode == MVHOST_OP_OPEN_CHANNEL) {
        return STATUS_NETWORKNOTCONNECTED;
    }
    return STATUS_CHANNELCLOSED;
}

/* Sleeps on the host clock, as HAL_Delay must still wait while the simulator is away. */
static void sleep_micros(uint64_t duration_us)
{
    struct timespec duration = {(time_t)(duration_us / 1000000u), (long)(duration_us % 1000000u) * 1000L};
    while (nanosleep(&duration, &duration) != 0) {
    }
}

/* Reads the u64 argument at `index` of a HARNESS_SLEEP or HARNESS_WAIT request; 0 if it is missing. */
static uint64_t u64_argument(const uint8_t *payload, uint32_t length, unsigned index)
{
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field field;
    int written = 0;
    mvhost_wire_reader_init(&reader, payload, length);
    for (unsigned i = 0; i <= index; i++) {
        if (mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &field, &written) != MVHOST_WIRE_OK) {
            return 0;
        }
    }
    return field.value;
}

/* While offline a wait lasts one step at most, so HAL_Delay's next step may reconnect. */
static uint64_t offline_wait(const uint8_t *payload, uint32_t length)
{
    uint64_t max_us = u64_argument(payload, length, 0);
    uint64_t step_us = u64_argument(payload, length, 1);
    return step_us < max_us ? step_us : max_us;
}

/* Writes the status and outputs of the local answer to `opcode`. */
static void write_answer(struct mvhost_wire_writer *writer, uint16_t opcode, const uint8_t *payload, uint32_t length)
{
    switch (opcode) {
    case MVHOST_OP_HARNESS_SLEEP:
    case MVHOST_OP_HARNESS_WAIT:
        sleep_micros(opcode == MVHOST_OP_HARNESS_SLEEP ? u64_argument(payload, length, 0) : offline_wait(payload, length));
        mvhost_wire_put_u32(writer, STATUS_OKAY);
        mvhost_wire_put_u64(writer, mvhost_device_clock_offline_now());
        return;
    case MVHOST_OP_GET_MICROSECONDS:
    case MVHOST_OP_HARNESS_NOW:
        /* The device time goes on from the last kernel time, so it neither jumps nor stops while offline. */
        mvhost_wire_put_u32(writer, STATUS_OKAY);
        mvhost_wire_put_u64(writer, mvhost_device_clock_offline_now());
        return;
    case MVHOST_OP_GET_WALL_TIME:
        mvhost_wire_put_u32(writer, STATUS_OKAY);
        mvhost_wire_put_u64(writer, clock_micros(CLOCK_REALTIME));
        return;
    case MVHOST_OP_GET_NETWORK_STATUS:
        mvhost_wire_put_u32(writer, STATUS_OKAY);
        mvhost_wire_put_u32(writer, NETWORKSTATUS_CONNECTING);
        return;
    case MVHOST_OP_GET_CHANNEL_CLOSURE_REASON:
        mvhost_wire_put_u32(writer, STATUS_OKAY);
        mvhost_wire_put_u32(writer, CLOSUREREASON_NETWORKDISCONNECTED);
        return;
    case MVHOST_OP_CLOSE_CHANNEL:
    case MVHOST_OP_RELEASE_NETWORK:
    case MVHOST_OP_CLOSE_NOTIFICATIONS:
    case MVHOST_OP_CLOSE_SYSTEM_NOTIFICATION:
        /* Closing works offline, as on a device; the app's handle is zeroed. */
        mvhost_wire_put_u32(writer, STATUS_OKAY);
        mvhost_wire_put_u64(writer, 0);
        return;
    case MVHOST_OP_HARNESS_POLL:
        mvhost_wire_put_u32(writer, STATUS_OKAY);
        return;
    case MVHOST_OP_READ_CHANNEL: case MVHOST_OP_READ_CHANNEL_COMPLETE: case MVHOST_OP_WRITE_CHANNEL_STREAM:
    case MVHOST_OP_WRITE_CHANNEL: case MVHOST_OP_OPEN_CHANNEL: case MVHOST_OP_SEND_HTTP_REQUEST:
    case MVHOST_OP_READ_HTTP_RESPONSE_DATA: case MVHOST_OP_READ_HTTP_RESPONSE_HEADER:
    case MVHOST_OP_READ_HTTP_RESPONSE_BODY: case MVHOST_OP_SEND_CONFIG_FETCH_REQUEST:
    case MVHOST_OP_READ_CONFIG_FETCH_RESPONSE_DATA: case MVHOST_OP_READ_CONFIG_RESPONSE_ITEM:
        mvhost_wire_put_u32(writer, channel_status(opcode));
        break;
    default:
        /* Everything else needs the kernel's state, which is out of reach: UNAVAILABLE. */
        mvhost_wire_put_u32(writer, STATUS_UNAVAILABLE);
        break;
    }
    for (unsigned i = 0; i < output_count(opcode); i++) {
        mvhost_wire_put_none(writer);
    }
}

/* Returns 1 if every pointer field is present; an absent one gets the kernel's fault later, not a handle. */
static int all_pointers_present(const uint8_t *payload, uint32_t length)
{
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field field;
    mvhost_wire_reader_init(&reader, payload, length);
    while (!mvhost_wire_reader_at_end(&reader)) {
        if (mvhost_wire_read_field(&reader, &field) != MVHOST_WIRE_OK) {
            return 0;
        }
        if (field.tag == MVHOST_WIRE_POINTER && !field.present) {
            return 0;
        }
    }
    return 1;
}

int32_t mvhost_local_answer(const uint8_t *request, uint32_t request_length, uint8_t *reply, uint32_t capacity)
{
    struct mvhost_wire_header header;
    if (mvhost_wire_parse_header(request, request_length, &header) != MVHOST_WIRE_OK) {
        return -1;
    }

    uint8_t storage[64];
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_RESPONSE, header.opcode, 0, header.sequence);
    uint64_t offline_handle = 0;
    if ((header.opcode == MVHOST_OP_SETUP_NOTIFICATIONS || header.opcode == MVHOST_OP_REQUEST_NETWORK) &&
        all_pointers_present(request + MVHOST_WIRE_HEADER_BYTES, header.payload_length)) {
        offline_handle = mvhost_offline_issue(request, request_length);
    }
    if (header.opcode == MVHOST_OP_CLOSE_CHANNEL || header.opcode == MVHOST_OP_RELEASE_NETWORK ||
        header.opcode == MVHOST_OP_CLOSE_NOTIFICATIONS) {
        mvhost_offline_note_close(request, request_length);
    }
    if (offline_handle != 0) {
        /* Works offline as on a device; the request is replayed to the kernel once it is reachable. */
        mvhost_wire_put_u32(&writer, STATUS_OKAY);
        mvhost_wire_put_u64(&writer, offline_handle);
    } else {
        write_answer(&writer, header.opcode, request + MVHOST_WIRE_HEADER_BYTES, header.payload_length);
    }
    int result = -1;
    if (mvhost_wire_finish_frame(&writer) == MVHOST_WIRE_OK && !writer.failed && writer.length <= capacity) {
        memcpy(reply, writer.data, writer.length);
        result = (int32_t)writer.length;
    }
    mvhost_wire_writer_release(&writer);
    return result;
}
