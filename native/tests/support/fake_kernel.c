#include "fake_kernel.h"

#include <stdio.h>
#include <string.h>

#include "mvhost.h"
#include "schemas.h"
#include "wire.h"

#define STATUS_OKAY 0u
#define STATUS_PARAMETERFAULT 2u

struct fake_kernel fake_kernel;

static uint8_t queued[FAKE_MAX_QUEUED][512];
static uint32_t queued_length[FAKE_MAX_QUEUED];
static unsigned queued_count;

static const struct opcode_schema *find_schema(uint16_t opcode)
{
    for (unsigned i = 0; i < OPCODE_SCHEMA_COUNT; i++) {
        if (OPCODE_SCHEMAS[i].opcode == opcode) {
            return &OPCODE_SCHEMAS[i];
        }
    }
    return NULL;
}

static uint8_t tag_of(char symbol)
{
    switch (symbol) {
    case 'I':
        return MVHOST_WIRE_U32;
    case 'L':
        return MVHOST_WIRE_U64;
    case 'P':
        return MVHOST_WIRE_POINTER;
    case 'B':
        return MVHOST_WIRE_BYTES;
    default:
        return MVHOST_WIRE_LIST;
    }
}

/* Walks `schema` from *cursor up to its end or a ']'; returns 0 on a mismatch. */
static int check_fields(struct mvhost_wire_reader *reader, const char *schema, unsigned *cursor)
{
    while (schema[*cursor] != '\0' && schema[*cursor] != ']') {
        char symbol = schema[(*cursor)++];
        struct mvhost_wire_field field;
        int written;
        if (mvhost_wire_read_expect(reader, tag_of(symbol), 0, &field, &written) != MVHOST_WIRE_OK) {
            return 0;
        }
        if (symbol == 'P') {
            fake_kernel.last_pointer_count++;
            if (!field.present) {
                fake_kernel.last_absent_pointers++;
            }
        }
        if (symbol == '[') {
            unsigned element_start = *cursor;
            for (uint32_t i = 0; i < field.list_count; i++) {
                *cursor = element_start;
                if (!check_fields(reader, schema, cursor)) {
                    return 0;
                }
            }
            if (field.list_count == 0) {
                while (schema[*cursor] != ']') {
                    (*cursor)++;
                }
            }
            (*cursor)++; /* past ']' */
        }
    }
    return 1;
}

static void put_outputs(struct mvhost_wire_writer *writer, const char *schema, int written)
{
    for (const char *symbol = schema; *symbol != '\0'; symbol++) {
        if (!written) {
            mvhost_wire_put_none(writer);
        } else if (*symbol == 'I') {
            mvhost_wire_put_u32(writer, fake_kernel.u32_output);
        } else if (*symbol == 'L') {
            mvhost_wire_put_u64(writer, fake_kernel.u64_output);
        } else {
            mvhost_wire_put_bytes(writer, fake_kernel.bytes_output, fake_kernel.bytes_output_length);
        }
    }
}

/* Moves the queued frames into the reply; returns their length, or -1 when they do not fit. */
static int32_t take_queued(uint8_t *reply, uint32_t reply_capacity)
{
    uint32_t length = 0;
    for (unsigned i = 0; i < queued_count; i++) {
        if (length + queued_length[i] > reply_capacity) {
            return -1;
        }
        memcpy(reply + length, queued[i], queued_length[i]);
        length += queued_length[i];
    }
    queued_count = 0;
    return (int32_t)length;
}

/* A REPORT of a SLEEP or WAIT moves the fake clock like the call would have; its request's first field is the duration. */
static void replay_clock_move(const struct mvhost_wire_header *header, const uint8_t *payload)
{
    struct mvhost_wire_reader report;
    struct mvhost_wire_reader request;
    struct mvhost_wire_field request_bytes;
    struct mvhost_wire_field duration;
    int written;
    if (header->opcode != 0x0102 && header->opcode != 0x0104) {
        return;
    }
    mvhost_wire_reader_init(&report, payload, header->payload_length);
    if (mvhost_wire_read_expect(&report, MVHOST_WIRE_BYTES, 0, &request_bytes, &written) != MVHOST_WIRE_OK) {
        return;
    }
    mvhost_wire_reader_init(&request, request_bytes.bytes, request_bytes.length);
    if (mvhost_wire_read_expect(&request, MVHOST_WIRE_U64, 0, &duration, &written) == MVHOST_WIRE_OK) {
        fake_kernel.now_us += duration.value;
    }
}

static int32_t exchange(void *context, const uint8_t *request, uint32_t request_length, uint8_t *reply,
                        uint32_t reply_capacity)
{
    (void)context;
    struct mvhost_wire_header header;
    fake_kernel.requests++;

    /* REPORT frames of locally answered calls come first; each is counted and gets no reply. */
    for (;;) {
        if (mvhost_wire_parse_header(request, request_length, &header) != MVHOST_WIRE_OK) {
            fake_kernel.schema_mismatches++;
            return -1;
        }
        if (header.kind != MVHOST_WIRE_REPORT) {
            break;
        }
        fake_kernel.reports++;
        fake_kernel.last_report_opcode = header.opcode;
        replay_clock_move(&header, request + MVHOST_WIRE_HEADER_BYTES);
        uint32_t report_length = MVHOST_WIRE_HEADER_BYTES + header.payload_length;
        request += report_length;
        request_length -= report_length;
        if (request_length == 0) {
            return take_queued(reply, reply_capacity);
        }
    }
    fake_kernel.last_request_length = request_length;
    fake_kernel.last_opcode = header.opcode;
    fake_kernel.last_kind = header.kind;
    fake_kernel.last_sequence = header.sequence;
    fake_kernel.last_pointer_count = 0;
    fake_kernel.last_absent_pointers = 0;

    const struct opcode_schema *schema = find_schema(header.opcode);
    struct mvhost_wire_reader reader;
    unsigned cursor = 0;
    mvhost_wire_reader_init(&reader, request + MVHOST_WIRE_HEADER_BYTES, header.payload_length);
    if (schema == NULL || !check_fields(&reader, schema->request, &cursor) || !mvhost_wire_reader_at_end(&reader)) {
        fprintf(stderr, "fake kernel: request for opcode 0x%04x does not match schema \"%s\"\n", header.opcode,
                schema != NULL ? schema->request : "?");
        fake_kernel.schema_mismatches++;
        return -1;
    }

    uint32_t status = fake_kernel.last_absent_pointers > 0 ? STATUS_PARAMETERFAULT : STATUS_OKAY;
    if (fake_kernel.force_status) {
        status = fake_kernel.forced_status;
    }
    if ((header.opcode == 0x0102 || header.opcode == 0x0104) && status == STATUS_OKAY) {
        struct mvhost_wire_reader sleep_reader;
        struct mvhost_wire_field duration;
        int written;
        mvhost_wire_reader_init(&sleep_reader, request + MVHOST_WIRE_HEADER_BYTES, header.payload_length);
        (void)mvhost_wire_read_expect(&sleep_reader, MVHOST_WIRE_U64, 0, &duration, &written);
        fake_kernel.now_us += duration.value;
    }

    /* A CLOCK state leads the first response, and the next one after a test moved the clock. */
    uint32_t length = 0;
    if (fake_kernel.clock_kind != 0 && (!fake_kernel.clock_sent || fake_kernel.clock_moved)) {
        length = fake_kernel_encode_clock(reply, fake_kernel.clock_kind, fake_kernel.now_us);
        fake_kernel.clock_sent = 1;
        fake_kernel.clock_moved = 0;
    }

    /* Queued frames next, then the response. */
    int32_t queued_bytes = take_queued(reply + length, reply_capacity - length);
    if (queued_bytes < 0) {
        return -1;
    }
    length += (uint32_t)queued_bytes;

    uint8_t storage[256];
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_RESPONSE, header.opcode, 0, header.sequence);
    mvhost_wire_put_u32(&writer, status);
    if (header.opcode == 0x0101 || header.opcode == 0x0102 || header.opcode == 0x0104) {
        mvhost_wire_put_u64(&writer, fake_kernel.now_us);
    } else {
        put_outputs(&writer, schema->response, status == STATUS_OKAY);
    }
    mvhost_wire_finish_frame(&writer);
    if (length + writer.length > reply_capacity) {
        mvhost_wire_writer_release(&writer);
        return -1;
    }
    memcpy(reply + length, writer.data, writer.length);
    length += (uint32_t)writer.length;
    mvhost_wire_writer_release(&writer);
    return (int32_t)length;
}

void fake_kernel_install(void)
{
    memset(&fake_kernel, 0, sizeof fake_kernel);
    queued_count = 0;
    mvhost_set_inprocess_transport(exchange, NULL);
}

uint32_t fake_kernel_encode_notification(uint8_t *out, uint64_t centre, uint64_t ring_address, uint32_t slot,
                                         uint64_t microseconds, uint32_t event_type, uint32_t tag, uint32_t irq)
{
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, out, 128);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_NOTIFICATION, 0, 0, 0);
    mvhost_wire_put_u64(&writer, centre);
    mvhost_wire_put_u64(&writer, ring_address);
    mvhost_wire_put_u32(&writer, slot);
    mvhost_wire_put_u64(&writer, microseconds);
    mvhost_wire_put_u32(&writer, event_type);
    mvhost_wire_put_u32(&writer, tag);
    mvhost_wire_put_u32(&writer, irq);
    mvhost_wire_put_bytes(&writer, NULL, 0);
    mvhost_wire_finish_frame(&writer);
    return (uint32_t)writer.length;
}

void fake_kernel_queue_frame(const uint8_t *frame, uint32_t length)
{
    if (queued_count < FAKE_MAX_QUEUED && length <= sizeof queued[0]) {
        memcpy(queued[queued_count], frame, length);
        queued_length[queued_count] = length;
        queued_count++;
    }
}

uint32_t fake_kernel_encode_clock(uint8_t *out, uint32_t clock_kind, uint64_t kernel_us)
{
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, out, 64);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_STATE, MVHOST_STATE_CLOCK, 0, 0);
    mvhost_wire_put_u32(&writer, clock_kind);
    mvhost_wire_put_u64(&writer, kernel_us);
    mvhost_wire_finish_frame(&writer);
    return (uint32_t)writer.length;
}

void fake_kernel_queue_notification(uint64_t centre, uint64_t ring_address, uint32_t slot, uint64_t microseconds,
                                    uint32_t event_type, uint32_t tag, uint32_t irq)
{
    if (queued_count < FAKE_MAX_QUEUED) {
        queued_length[queued_count] = fake_kernel_encode_notification(
            queued[queued_count], centre, ring_address, slot, microseconds, event_type, tag, irq);
        queued_count++;
    }
}
