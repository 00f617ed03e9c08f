/*
 * The C packet codec against the golden packets that the Java tests also check, then the
 * reader's recovery from garbage, torn and oversized packets.
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

int main(int argc, char **argv)
{
    int checks = 0;
    if (argc != 2) {
        fprintf(stderr, "usage: bridge_packets_test GOLDEN_PACKETS_FILE\n");
        return 2;
    }
    checks += check_golden(argv[1]);

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
