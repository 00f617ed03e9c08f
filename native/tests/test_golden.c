/*
 * Decodes every frame of golden/frames.txt with the C codec and re-encodes it, which must give
 * the same bytes. The Java GoldenFramesTest does the same, so the two codecs agree.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "wire.h"

#define MAX_LINE 4096

static int hex_value(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Re-encodes one field; a list brings its element fields along, and lists do not nest. */
static int copy_field(struct mvhost_wire_reader *reader, struct mvhost_wire_writer *writer, int inside_list)
{
    struct mvhost_wire_field field;
    if (mvhost_wire_read_field(reader, &field) != MVHOST_WIRE_OK) {
        return 0;
    }
    mvhost_wire_put_field(writer, &field);
    if (field.tag != MVHOST_WIRE_LIST) {
        return 1;
    }
    if (inside_list) {
        return 0;
    }
    for (uint32_t i = 0; i < field.list_count * field.list_width; i++) {
        if (!copy_field(reader, writer, 1)) {
            return 0;
        }
    }
    return 1;
}

static int copy_payload(struct mvhost_wire_reader *reader, struct mvhost_wire_writer *writer)
{
    while (!mvhost_wire_reader_at_end(reader)) {
        if (!copy_field(reader, writer, 0)) {
            return 0;
        }
    }
    return 1;
}

static void reencode(const char *name, const uint8_t *frame, uint32_t length)
{
    struct mvhost_wire_header header;
    int parsed = mvhost_wire_parse_header(frame, length, &header);
    CHECK_EQ(parsed, MVHOST_WIRE_OK);
    if (parsed != MVHOST_WIRE_OK) {
        fprintf(stderr, "  in golden frame %s\n", name);
        return;
    }
    CHECK_EQ(MVHOST_WIRE_HEADER_BYTES + header.payload_length, length);

    uint8_t storage[512];
    struct mvhost_wire_writer writer;
    struct mvhost_wire_reader reader;
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, header.kind, header.opcode, header.flags, header.sequence);
    mvhost_wire_reader_init(&reader, frame + MVHOST_WIRE_HEADER_BYTES, header.payload_length);
    int copied = copy_payload(&reader, &writer);
    CHECK(copied);
    CHECK(mvhost_wire_reader_at_end(&reader));
    CHECK_EQ(mvhost_wire_finish_frame(&writer), MVHOST_WIRE_OK);
    CHECK_EQ(writer.length, length);
    if (!copied || writer.length != length || memcmp(writer.data, frame, length) != 0) {
        fprintf(stderr, "golden frame %s does not re-encode to the same bytes\n", name);
        check_failures++;
    }
    mvhost_wire_writer_release(&writer);
}

static void check_known_values(const char *name, const uint8_t *frame, uint32_t length)
{
    struct mvhost_wire_header header;
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field field;
    int written;
    if (mvhost_wire_parse_header(frame, length, &header) != MVHOST_WIRE_OK) {
        return;
    }
    mvhost_wire_reader_init(&reader, frame + MVHOST_WIRE_HEADER_BYTES, header.payload_length);

    if (strcmp(name, "get_microseconds_request_null") == 0) {
        CHECK_EQ(header.kind, MVHOST_WIRE_REQUEST);
        CHECK_EQ(header.opcode, 0x0002);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_POINTER, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.present, 0);
    } else if (strcmp(name, "notification_channel_data_readable") == 0) {
        CHECK_EQ(header.kind, MVHOST_WIRE_NOTIFICATION);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 0x5a17c0de);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 0x20000200);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 3);
    } else if (strcmp(name, "state_config_response") == 0) {
        CHECK_EQ(header.kind, MVHOST_WIRE_STATE);
        CHECK_EQ(header.opcode, MVHOST_STATE_CONFIG_RESPONSE);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 0x1234abcd);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_LIST, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.list_count, 2);
        CHECK_EQ(field.list_width, 2);
    } else if (strcmp(name, "state_network") == 0) {
        CHECK_EQ(header.kind, MVHOST_WIRE_STATE);
        CHECK_EQ(header.opcode, MVHOST_STATE_NETWORK);
        CHECK_EQ(mvhost_wire_check_schema(reader.data, reader.length, mvhost_wire_state_schema(header.opcode)),
                 MVHOST_WIRE_OK);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 0x0badf00d);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 1);
    } else if (strcmp(name, "state_reserved_handles") == 0) {
        CHECK_EQ(header.kind, MVHOST_WIRE_STATE);
        CHECK_EQ(header.opcode, MVHOST_STATE_RESERVED_HANDLES);
        CHECK_EQ(mvhost_wire_check_schema(reader.data, reader.length, mvhost_wire_state_schema(header.opcode)),
                 MVHOST_WIRE_OK);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, MVHOST_RESERVED_SETUP_FREE | MVHOST_RESERVED_STATUS_KNOWN | MVHOST_RESERVED_HOLDERS_LISTED);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 1);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_LIST, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.list_count, 2);
        CHECK_EQ(field.list_width, 1);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 0x0badf00d);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 0x5a17c0de);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_LIST, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.list_count, 1);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 0x1234abcd);
    } else if (strcmp(name, "state_quiet") == 0) {
        CHECK_EQ(header.kind, MVHOST_WIRE_STATE);
        CHECK_EQ(header.opcode, MVHOST_STATE_QUIET);
        CHECK_EQ(mvhost_wire_check_schema(reader.data, reader.length, mvhost_wire_state_schema(header.opcode)),
                 MVHOST_WIRE_OK);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 2650000u);
    } else if (strcmp(name, "state_open_budget") == 0) {
        CHECK_EQ(header.kind, MVHOST_WIRE_STATE);
        CHECK_EQ(header.opcode, MVHOST_STATE_OPEN_BUDGET);
        CHECK_EQ(mvhost_wire_check_schema(reader.data, reader.length, mvhost_wire_state_schema(header.opcode)),
                 MVHOST_WIRE_OK);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 3);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 8);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 1000000u);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_LIST, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.list_count, 2);
        CHECK_EQ(field.list_width, 1);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 2600000u);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 2650000u);
    } else if (strcmp(name, "state_live_handles") == 0) {
        static const uint64_t channel[9] = {0x1234abcd, 0x5a17c0de, 7, 0x0badf00d, 0x20000400, 512, 0x20000600, 512, 0};
        CHECK_EQ(header.kind, MVHOST_WIRE_STATE);
        CHECK_EQ(header.opcode, MVHOST_STATE_LIVE_HANDLES);
        CHECK_EQ(mvhost_wire_check_schema(reader.data, reader.length, mvhost_wire_state_schema(header.opcode)),
                 MVHOST_WIRE_OK);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_LIST, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.list_count, 1);
        CHECK_EQ(field.list_width, 3);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 0x5a17c0de);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 0x20000200);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 128);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_LIST, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.list_count, 1);
        CHECK_EQ(field.list_width, 1);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 0x0badf00d);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_LIST, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.list_count, 1);
        CHECK_EQ(field.list_width, 9);
        for (unsigned i = 0; i < 9; i++) {
            uint8_t tag = i == 2 || i == 5 || i >= 7 ? MVHOST_WIRE_U32 : MVHOST_WIRE_U64;
            CHECK_EQ(mvhost_wire_read_expect(&reader, tag, 0, &field, &written), MVHOST_WIRE_OK);
            CHECK_EQ(field.value, channel[i]);
        }
    } else if (strcmp(name, "report_wait") == 0) {
        CHECK_EQ(header.kind, MVHOST_WIRE_REPORT);
        CHECK_EQ(header.opcode, 0x0104);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_BYTES, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.length, 18);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_BYTES, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.length, 14);
    } else if (strcmp(name, "report_close_channel") == 0) {
        CHECK_EQ(header.kind, MVHOST_WIRE_REPORT);
        CHECK_EQ(header.opcode, 0x001D);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_BYTES, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.length, 19);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_BYTES, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.length, 14);
    } else if (strcmp(name, "state_clock_virtual") == 0 || strcmp(name, "state_clock_wall") == 0) {
        int wall = strcmp(name, "state_clock_wall") == 0;
        CHECK_EQ(header.kind, MVHOST_WIRE_STATE);
        CHECK_EQ(header.opcode, MVHOST_STATE_CLOCK);
        CHECK_EQ(mvhost_wire_check_schema(reader.data, reader.length, mvhost_wire_state_schema(header.opcode)),
                 MVHOST_WIRE_OK);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, wall ? MVHOST_CLOCK_WALL : MVHOST_CLOCK_VIRTUAL);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, wall ? 90061000123u : 2600000u);
    } else if (strcmp(name, "server_log_request_no_reply") == 0) {
        CHECK_EQ(header.flags, MVHOST_WIRE_FLAG_NO_REPLY);
    } else if (strcmp(name, "get_microseconds_response_parameterfault") == 0) {
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(field.value, 2);
        CHECK_EQ(mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 1, &field, &written), MVHOST_WIRE_OK);
        CHECK_EQ(written, 0);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s PATH/TO/frames.txt\n", argv[0]);
        return 2;
    }
    FILE *file = fopen(argv[1], "r");
    if (file == NULL) {
        perror(argv[1]);
        return 2;
    }

    static char line[MAX_LINE];
    static uint8_t frame[MAX_LINE / 2];
    unsigned frames = 0;
    while (fgets(line, sizeof line, file) != NULL) {
        if (line[0] == '#' || line[0] == '\n') {
            continue;
        }
        char *colon = strchr(line, ':');
        if (colon == NULL) {
            fprintf(stderr, "golden line without ':' : %s", line);
            check_failures++;
            continue;
        }
        *colon = '\0';
        uint32_t length = 0;
        for (char *c = colon + 1; *c != '\0'; c++) {
            if (isspace((unsigned char)*c)) {
                continue;
            }
            int high = hex_value(c[0]);
            int low = c[1] != '\0' ? hex_value(c[1]) : -1;
            if (high < 0 || low < 0) {
                fprintf(stderr, "golden frame %s has a bad hex digit\n", line);
                check_failures++;
                break;
            }
            frame[length++] = (uint8_t)(high * 16 + low);
            c++;
        }
        reencode(line, frame, length);
        check_known_values(line, frame, length);
        frames++;
    }
    fclose(file);

    CHECK(frames >= 18);
    return check_failures == 0 ? 0 : 1;
}
