/*
 * The C packet codecs against the golden packets that the Java tests also check. Version 1 (COBS
 * and CRC-32) comes with the reader's recovery from garbage, torn and oversized packets. Version 2
 * (a length prefix) comes with the reader's stop at a length or magic that breaks the framing.
 */
#include <stdlib.h>
#include <string.h>

#include "bridge_check.h"
#include "crc32.h"
#include "transport_packet.h"

static size_t parse_hex(const char *hex, uint8_t *bytes)
{
    size_t length = strlen(hex) / 2;
    for (size_t i = 0; i < length; i++) {
        unsigned value;
        sscanf(hex + 2 * i, "%2x", &value);
        bytes[i] = (uint8_t)value;
    }
    return length;
}

/* Feeds `stream` to `reader` and returns how many valid packets came out; the last is in `payload`. */
static int read_all(struct mvhost_packet_reader *reader, const uint8_t *stream, size_t length, uint8_t *payload,
                    long *last_length)
{
    int packets = 0;
    size_t offset = 0;
    while (offset < length) {
        size_t consumed = 0;
        long decoded = mvhost_packet_reader_feed(reader, stream + offset, length - offset, &consumed, payload);
        offset += consumed;
        if (decoded >= 0) {
            packets++;
            *last_length = decoded;
        }
    }
    return packets;
}

static int check_golden(const char *path)
{
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        fprintf(stderr, "cannot open the golden packets at %s\n", path);
        bridge_failures++;
        return 0;
    }
    static char line[8192];
    static uint8_t payload[2048], expected[2048], packet[4096], scratch[2048], decoded[4096];
    int vectors = 0;
    struct mvhost_packet_reader reader;
    mvhost_packet_reader_init(&reader, 4096);

    while (fgets(line, sizeof line, file) != NULL) {
        char name[128], payload_hex[2048], packet_hex[4096];
        if (line[0] == '#' || line[0] == '\n') {
            continue;
        }
        if (sscanf(line, "%127s %2047s %4095s", name, payload_hex, packet_hex) != 3) {
            fprintf(stderr, "invalid golden line: %s", line);
            bridge_failures++;
            continue;
        }
        size_t payload_length = strcmp(payload_hex, "-") == 0 ? 0 : parse_hex(payload_hex, payload);
        size_t expected_length = parse_hex(packet_hex, expected);

        long encoded = mvhost_packet_encode(payload, payload_length, scratch, packet, sizeof packet);
        CHECK(encoded == (long)expected_length);
        CHECK(encoded > 0 && memcmp(packet, expected, expected_length) == 0);

        long last = -1;
        CHECK(read_all(&reader, expected, expected_length, decoded, &last) == 1);
        CHECK(last == (long)payload_length);
        CHECK(payload_length == 0 || memcmp(decoded, payload, payload_length) == 0);
        vectors++;
    }
    fclose(file);
    mvhost_packet_reader_release(&reader);
    CHECK(vectors >= 5);
    return vectors * 5 + 1;
}

/* Feeds `stream` to a version 2 reader `step` bytes at a time; returns the packets read, the last in `payload`. */
static int read_stream(struct mvhost_stream_reader *reader, const uint8_t *stream, size_t length, size_t step,
                       uint8_t *payload, long *last_length)
{
    int packets = 0;
    size_t offset = 0;
    while (offset < length) {
        size_t chunk = length - offset < step ? length - offset : step;
        size_t used = 0;
        while (used < chunk) {
            size_t consumed = 0;
            long decoded = mvhost_stream_reader_feed(reader, stream + offset + used, chunk - used, &consumed, payload);
            used += consumed;
            if (decoded == MVHOST_STREAM_BROKEN) {
                return packets;
            }
            if (decoded >= 0) {
                packets++;
                *last_length = decoded;
            }
        }
        offset += chunk;
    }
    return packets;
}

/* Version 2 packets: each golden payload encodes to its packet, and the packet reads back whole or byte by byte. */
static int check_stream_golden(const char *path)
{
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        fprintf(stderr, "cannot open the golden stream packets at %s\n", path);
        bridge_failures++;
        return 0;
    }
    static char line[8192];
    static uint8_t payload[2048], expected[2048], packet[2048], decoded[2048];
    int vectors = 0;
    struct mvhost_stream_reader reader;

    while (fgets(line, sizeof line, file) != NULL) {
        static char name[128], payload_hex[4096], packet_hex[4096];
        if (line[0] == '#' || line[0] == '\n') {
            continue;
        }
        if (sscanf(line, "%127s %4095s %4095s", name, payload_hex, packet_hex) != 3) {
            fprintf(stderr, "invalid golden line: %s", line);
            bridge_failures++;
            continue;
        }
        size_t payload_length = parse_hex(payload_hex, payload);
        size_t expected_length = parse_hex(packet_hex, expected);

        mvhost_stream_put_length(packet, (uint32_t)payload_length);
        memcpy(packet + MVHOST_STREAM_LENGTH_BYTES, payload, payload_length);
        CHECK(MVHOST_STREAM_LENGTH_BYTES + payload_length == expected_length);
        CHECK(memcmp(packet, expected, expected_length) == 0);

        for (size_t step = 1; step <= expected_length; step += expected_length - 1) {
            long last = -1;
            mvhost_stream_reader_init(&reader, sizeof decoded);
            CHECK(read_stream(&reader, expected, expected_length, step, decoded, &last) == 1);
            CHECK(last == (long)payload_length);
            CHECK(memcmp(decoded, payload, payload_length) == 0);
            CHECK(reader.failure == NULL);
            CHECK(mvhost_stream_reader_partial(&reader) == 0);
        }
        vectors++;
    }
    fclose(file);
    CHECK(vectors >= 4);
    return vectors * 12 + 1;
}

/* Returns 1 if the reader stopped with a reason that contains `text`. */
static int failure_contains(const struct mvhost_stream_reader *reader, const char *text)
{
    return reader->failure != NULL && strstr(reader->failure, text) != NULL;
}

/* Version 2 input that breaks the framing stops the reader with a reason, after the good packets before it. */
static int check_stream_failures(void)
{
    static uint8_t stream[256], decoded[256];
    struct mvhost_stream_reader reader;
    long last = -1;
    const uint8_t frame[16] = {'M', 'V', 1, 1, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};

    /* A good packet, then one whose payload lacks the magic: one packet, then the failure. */
    mvhost_stream_put_length(stream, sizeof frame);
    memcpy(stream + 4, frame, sizeof frame);
    mvhost_stream_put_length(stream + 20, sizeof frame);
    memset(stream + 24, 'X', sizeof frame);
    mvhost_stream_reader_init(&reader, sizeof decoded);
    CHECK(read_stream(&reader, stream, 40, 40, decoded, &last) == 1);
    CHECK(failure_contains(&reader, "magic"));

    /* A length above the maximum, caught before any payload byte arrives. */
    mvhost_stream_put_length(stream, sizeof decoded + 1);
    mvhost_stream_reader_init(&reader, sizeof decoded);
    CHECK(read_stream(&reader, stream, 4, 4, decoded, &last) == 0);
    CHECK(failure_contains(&reader, "above the maximum"));

    /* A length below a frame header. */
    mvhost_stream_put_length(stream, 15);
    mvhost_stream_reader_init(&reader, sizeof decoded);
    CHECK(read_stream(&reader, stream, 4, 4, decoded, &last) == 0);
    CHECK(failure_contains(&reader, "below"));

    /* A packet cut short: no packet, no failure, and the partial bytes tell the caller. */
    mvhost_stream_put_length(stream, sizeof frame);
    memcpy(stream + 4, frame, sizeof frame);
    mvhost_stream_reader_init(&reader, sizeof decoded);
    CHECK(read_stream(&reader, stream, 10, 3, decoded, &last) == 0);
    CHECK(reader.failure == NULL);
    CHECK(mvhost_stream_reader_partial(&reader) == 10);
    return 9;
}

int main(int argc, char **argv)
{
    int checks = 0;
    if (argc != 3) {
        fprintf(stderr, "usage: bridge_packets_test GOLDEN_PACKETS_FILE GOLDEN_STREAM_PACKETS_FILE\n");
        return 2;
    }
    checks += check_golden(argv[1]);
    checks += check_stream_golden(argv[2]);
    checks += check_stream_failures();

    CHECK(mvhost_crc32((const uint8_t *)"123456789", 9) == 0xCBF43926u);
    checks++;

    /* Garbage, then a torn copy of a packet, then the packet whole: only the whole one survives. */
    static uint8_t scratch[64], packet[64], stream[256], decoded[256];
    const uint8_t payload[] = {10, 0, 11};
    long packet_length = mvhost_packet_encode(payload, sizeof payload, scratch, packet, sizeof packet);
    const uint8_t garbage[] = {7, 7, 7, 0, 9, 0xFF};
    size_t length = 0;
    memcpy(stream, garbage, sizeof garbage);
    length += sizeof garbage;
    memcpy(stream + length, packet, (size_t)packet_length - 3);
    length += (size_t)packet_length - 3;
    stream[length++] = 0;
    memcpy(stream + length, packet, (size_t)packet_length);
    length += (size_t)packet_length;

    struct mvhost_packet_reader reader;
    mvhost_packet_reader_init(&reader, 256);
    long last = -1;
    CHECK(read_all(&reader, stream, length, decoded, &last) == 1);
    CHECK(last == 3 && memcmp(decoded, payload, 3) == 0);
    CHECK(reader.dropped == 2);
    checks += 3;

    /* A run longer than the maximum is skipped to the next delimiter, and reading resumes. */
    struct mvhost_packet_reader small;
    mvhost_packet_reader_init(&small, 16);
    memset(stream, 5, 40);
    stream[40] = 0;
    memcpy(stream + 41, packet, (size_t)packet_length);
    CHECK(read_all(&small, stream, 41 + (size_t)packet_length, decoded, &last) == 1);
    CHECK(small.dropped == 1);
    checks += 2;

    mvhost_packet_reader_release(&reader);
    mvhost_packet_reader_release(&small);
    return bridge_finish("bridge_packets_test", checks);
}
