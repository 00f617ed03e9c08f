/* Units of the C frame codec: field round trips, envelope checks and bounds on every length. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "wire.h"

static void fields_round_trip(void)
{
    uint8_t storage[64];
    struct mvhost_wire_writer writer;
    int marker = 0;
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_put_u32(&writer, 0xDEADBEEFu);
    mvhost_wire_put_u64(&writer, 0x0102030405060708ull);
    mvhost_wire_put_pointer(&writer, &marker);
    mvhost_wire_put_pointer(&writer, NULL);
    mvhost_wire_put_bytes(&writer, "abc", 3);
    mvhost_wire_put_list(&writer, 0, 5);
    mvhost_wire_put_none(&writer);

    struct mvhost_wire_reader reader;
    struct mvhost_wire_field field;
    int written;
    mvhost_wire_reader_init(&reader, writer.data, (uint32_t)writer.length);

    CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &field, &written), MVHOST_WIRE_OK);
    CHECK_EQ(field.value, 0xDEADBEEFu);
    CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &field, &written), MVHOST_WIRE_OK);
    CHECK_EQ(field.value, 0x0102030405060708ull);
    CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_POINTER, 0, &field, &written), MVHOST_WIRE_OK);
    CHECK_EQ(field.present, 1);
    CHECK_EQ(field.value, (uintptr_t)&marker);
    CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_POINTER, 0, &field, &written), MVHOST_WIRE_OK);
    CHECK_EQ(field.present, 0);
    CHECK_EQ(field.value, 0);
    CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_BYTES, 0, &field, &written), MVHOST_WIRE_OK);
    CHECK_EQ(field.length, 3);
    CHECK(memcmp(field.bytes, "abc", 3) == 0);
    CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_LIST, 0, &field, &written), MVHOST_WIRE_OK);
    CHECK_EQ(field.list_count, 0);
    CHECK_EQ(field.list_width, 5);
    CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 1, &field, &written), MVHOST_WIRE_OK);
    CHECK_EQ(written, 0);
    CHECK(mvhost_wire_reader_at_end(&reader));
    mvhost_wire_writer_release(&writer);
}

static void writer_grows_past_inline_storage(void)
{
    uint8_t storage[8];
    uint8_t value[5000];
    struct mvhost_wire_writer writer;
    memset(value, 0x5A, sizeof value);
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_RESPONSE, 0x27, 0, 9);
    mvhost_wire_put_bytes(&writer, value, sizeof value);

    CHECK_EQ(mvhost_wire_finish_frame(&writer), MVHOST_WIRE_OK);
    CHECK_EQ(writer.length, MVHOST_WIRE_HEADER_BYTES + 5 + sizeof value);
    CHECK(writer.heap);

    struct mvhost_wire_header header;
    CHECK_EQ(mvhost_wire_parse_header(writer.data, writer.length, &header), MVHOST_WIRE_OK);
    CHECK_EQ(header.payload_length, 5 + sizeof value);
    CHECK_EQ(header.sequence, 9);
    mvhost_wire_writer_release(&writer);
}

static void oversized_payload_is_rejected(void)
{
    static uint8_t big[MVHOST_WIRE_MAX_PAYLOAD_BYTES];
    uint8_t storage[64];
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_REQUEST, 1, 0, 1);
    mvhost_wire_put_bytes(&writer, big, sizeof big);

    CHECK_EQ(mvhost_wire_finish_frame(&writer), MVHOST_WIRE_ETOO_LARGE);
    mvhost_wire_writer_release(&writer);
}

static void truncated_fields_are_malformed(void)
{
    uint8_t storage[64];
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_put_u64(&writer, 1);
    mvhost_wire_put_bytes(&writer, "xyz", 3);

    for (uint32_t length = 0; length < writer.length; length++) {
        struct mvhost_wire_reader reader;
        struct mvhost_wire_field field;
        int result = MVHOST_WIRE_OK;
        mvhost_wire_reader_init(&reader, writer.data, length);
        while (result == MVHOST_WIRE_OK && !mvhost_wire_reader_at_end(&reader)) {
            result = mvhost_wire_read_field(&reader, &field);
        }
        CHECK(result != MVHOST_WIRE_OK || length == 0 || length == 9);
    }
}

static void bad_lengths_are_rejected(void)
{
    /* A bytes field that claims 0xFFFFFFF0 bytes, and a list of 100000 elements. */
    const uint8_t huge_bytes[] = {MVHOST_WIRE_BYTES, 0xF0, 0xFF, 0xFF, 0xFF, 'a'};
    const uint8_t huge_list[] = {MVHOST_WIRE_LIST, 0xA0, 0x86, 0x01, 0x00, 5};
    const uint8_t long_list[] = {MVHOST_WIRE_LIST, 0x02, 0x00, 0x00, 0x00, 5, MVHOST_WIRE_U32, 0, 0, 0, 0};
    const uint8_t bad_pointer[] = {MVHOST_WIRE_POINTER, 0, 1, 0, 0, 0, 0, 0, 0, 0};
    const uint8_t unknown_tag[] = {0x09, 0, 0, 0, 0};
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field field;

    mvhost_wire_reader_init(&reader, huge_bytes, sizeof huge_bytes);
    CHECK_EQ(mvhost_wire_read_field(&reader, &field), MVHOST_WIRE_ETOO_LARGE);
    mvhost_wire_reader_init(&reader, huge_list, sizeof huge_list);
    CHECK_EQ(mvhost_wire_read_field(&reader, &field), MVHOST_WIRE_ETOO_LARGE);
    mvhost_wire_reader_init(&reader, long_list, sizeof long_list);
    CHECK_EQ(mvhost_wire_read_field(&reader, &field), MVHOST_WIRE_EMALFORMED);
    mvhost_wire_reader_init(&reader, bad_pointer, sizeof bad_pointer);
    CHECK_EQ(mvhost_wire_read_field(&reader, &field), MVHOST_WIRE_EMALFORMED);
    mvhost_wire_reader_init(&reader, unknown_tag, sizeof unknown_tag);
    CHECK_EQ(mvhost_wire_read_field(&reader, &field), MVHOST_WIRE_EMALFORMED);
}

static void bad_envelopes_are_rejected(void)
{
    uint8_t frame[MVHOST_WIRE_HEADER_BYTES + 4];
    uint8_t storage[64];
    struct mvhost_wire_writer writer;
    struct mvhost_wire_header header;
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_REQUEST, 2, 0, 1);
    mvhost_wire_finish_frame(&writer);
    memcpy(frame, writer.data, MVHOST_WIRE_HEADER_BYTES);

    CHECK_EQ(mvhost_wire_parse_header(frame, MVHOST_WIRE_HEADER_BYTES, &header), MVHOST_WIRE_OK);
    CHECK_EQ(mvhost_wire_parse_header(frame, MVHOST_WIRE_HEADER_BYTES - 1, &header), MVHOST_WIRE_EMALFORMED);

    frame[0] = 'X';
    CHECK_EQ(mvhost_wire_parse_header(frame, MVHOST_WIRE_HEADER_BYTES, &header), MVHOST_WIRE_EMALFORMED);
    frame[0] = 'M';
    frame[2] = 2;
    CHECK_EQ(mvhost_wire_parse_header(frame, MVHOST_WIRE_HEADER_BYTES, &header), MVHOST_WIRE_EVERSION);
    frame[2] = 1;
    frame[3] = MVHOST_WIRE_STATE;
    CHECK_EQ(mvhost_wire_parse_header(frame, MVHOST_WIRE_HEADER_BYTES, &header), MVHOST_WIRE_OK);
    frame[3] = MVHOST_WIRE_REPORT;
    CHECK_EQ(mvhost_wire_parse_header(frame, MVHOST_WIRE_HEADER_BYTES, &header), MVHOST_WIRE_OK);
    frame[3] = 9; /* one past REPORT, the last kind */
    CHECK_EQ(mvhost_wire_parse_header(frame, MVHOST_WIRE_HEADER_BYTES, &header), MVHOST_WIRE_EMALFORMED);
    frame[3] = MVHOST_WIRE_NOTIFICATION;
    frame[6] = 1; /* NO_REPLY is allowed on requests only */
    CHECK_EQ(mvhost_wire_parse_header(frame, MVHOST_WIRE_HEADER_BYTES, &header), MVHOST_WIRE_EMALFORMED);
    frame[3] = MVHOST_WIRE_REQUEST;
    CHECK_EQ(mvhost_wire_parse_header(frame, MVHOST_WIRE_HEADER_BYTES, &header), MVHOST_WIRE_OK);
    frame[14] = 0x20; /* payload length 2 MiB */
    CHECK_EQ(mvhost_wire_parse_header(frame, MVHOST_WIRE_HEADER_BYTES, &header), MVHOST_WIRE_ETOO_LARGE);
    frame[14] = 0;
    frame[12] = 4; /* 4 bytes claimed, none present */
    CHECK_EQ(mvhost_wire_parse_header(frame, MVHOST_WIRE_HEADER_BYTES, &header), MVHOST_WIRE_EMALFORMED);
}

static void state_payloads_follow_their_schema(void)
{
    uint8_t storage[128];
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, storage, sizeof storage);

    mvhost_wire_put_u32(&writer, MVHOST_CLOCK_WALL);
    mvhost_wire_put_u64(&writer, 123456);
    const char *clock = mvhost_wire_state_schema(MVHOST_STATE_CLOCK);
    CHECK(clock != NULL);
    CHECK_EQ(mvhost_wire_check_schema(writer.data, (uint32_t)writer.length, clock), MVHOST_WIRE_OK);
    CHECK_EQ(mvhost_wire_check_schema(writer.data, (uint32_t)writer.length - 1, clock), MVHOST_WIRE_EMALFORMED);
    CHECK_EQ(mvhost_wire_check_schema(writer.data, (uint32_t)writer.length, "LL"), MVHOST_WIRE_EMALFORMED);
    CHECK_EQ(mvhost_wire_check_schema(writer.data, (uint32_t)writer.length, "I"), MVHOST_WIRE_EMALFORMED);
    CHECK(mvhost_wire_state_schema(0x7F) == NULL);

    /* A list of two (u32, bytes) elements, as a list-carrying state would send it. */
    writer.length = 0;
    mvhost_wire_put_u64(&writer, 9);
    mvhost_wire_put_list(&writer, 2, 2);
    mvhost_wire_put_u32(&writer, 0);
    mvhost_wire_put_bytes(&writer, "ab", 2);
    mvhost_wire_put_u32(&writer, 1);
    mvhost_wire_put_bytes(&writer, "", 0);
    CHECK_EQ(mvhost_wire_check_schema(writer.data, (uint32_t)writer.length, "L[IB]"), MVHOST_WIRE_OK);
    CHECK_EQ(mvhost_wire_check_schema(writer.data, (uint32_t)writer.length, "L[BI]"), MVHOST_WIRE_EMALFORMED);
    CHECK_EQ(mvhost_wire_check_schema(writer.data, (uint32_t)writer.length, "L[IBI]"), MVHOST_WIRE_EMALFORMED);
    mvhost_wire_writer_release(&writer);
}

int main(void)
{
    fields_round_trip();
    writer_grows_past_inline_storage();
    oversized_payload_is_rejected();
    truncated_fields_are_malformed();
    bad_lengths_are_rejected();
    bad_envelopes_are_rejected();
    state_payloads_follow_their_schema();
    return check_failures == 0 ? 0 : 1;
}
