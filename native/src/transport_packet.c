#include "transport_packet.h"

#include <stdlib.h>
#include <string.h>

#include "crc32.h"

static void put_crc(uint8_t *target, uint32_t crc)
{
    for (unsigned i = 0; i < MVHOST_PACKET_CRC_BYTES; i++) {
        target[i] = (uint8_t)(crc >> (8 * i));
    }
}

static uint32_t read_crc(const uint8_t *source)
{
    uint32_t crc = 0;
    for (unsigned i = 0; i < MVHOST_PACKET_CRC_BYTES; i++) {
        crc |= (uint32_t)source[i] << (8 * i);
    }
    return crc;
}

long mvhost_packet_encode(const uint8_t *payload, size_t length, uint8_t *scratch, uint8_t *packet, size_t capacity)
{
    if (length > MVHOST_PACKET_MAX_PAYLOAD ||
        MVHOST_COBS_MAX_ENCODED(length + MVHOST_PACKET_CRC_BYTES) + 1u > capacity) {
        return -1;
    }
    if (length > 0) {
        memmove(scratch, payload, length);
    }
    put_crc(scratch + length, mvhost_crc32(payload, length));

    size_t encoded = mvhost_cobs_encode(scratch, length + MVHOST_PACKET_CRC_BYTES, packet);
    packet[encoded] = 0;
    return (long)(encoded + 1);
}

int mvhost_packet_reader_init(struct mvhost_packet_reader *reader, size_t max_encoded)
{
    memset(reader, 0, sizeof *reader);
    reader->pending = malloc(max_encoded);
    reader->max_encoded = max_encoded;
    return reader->pending == NULL ? -1 : 0;
}

void mvhost_packet_reader_release(struct mvhost_packet_reader *reader)
{
    free(reader->pending);
    reader->pending = NULL;
}

void mvhost_packet_reader_reset(struct mvhost_packet_reader *reader)
{
    reader->pending_length = 0;
    reader->discarding = 0;
}

static void drop(struct mvhost_packet_reader *reader, const char *reason)
{
    reader->dropped++;
    reader->last_drop = reason;
}

/* Decodes the pending bytes into `payload`; returns the payload length or -1 after a drop. */
static long finish_packet(struct mvhost_packet_reader *reader, uint8_t *payload)
{
    long decoded = mvhost_cobs_decode(reader->pending, reader->pending_length, payload);
    reader->pending_length = 0;
    if (decoded < 0) {
        drop(reader, "invalid COBS encoding");
        return -1;
    }
    if ((size_t)decoded < MVHOST_PACKET_CRC_BYTES) {
        drop(reader, "packet shorter than its 4-byte CRC");
        return -1;
    }
    size_t length = (size_t)decoded - MVHOST_PACKET_CRC_BYTES;
    if (mvhost_crc32(payload, length) != read_crc(payload + length)) {
        drop(reader, "CRC-32 mismatch");
        return -1;
    }
    return (long)length;
}

long mvhost_packet_reader_feed(struct mvhost_packet_reader *reader, const uint8_t *bytes, size_t length,
                               size_t *consumed, uint8_t *payload)
{
    for (size_t i = 0; i < length; i++) {
        uint8_t value = bytes[i];
        if (value != 0) {
            if (reader->discarding) {
                continue;
            }
            if (reader->pending_length == reader->max_encoded) {
                drop(reader, "packet longer than the maximum; skipping to the next delimiter");
                reader->discarding = 1;
                reader->pending_length = 0;
                continue;
            }
            reader->pending[reader->pending_length++] = value;
            continue;
        }

        /* A delimiter: end of an oversized packet, an empty one (line resync), or a real one. */
        if (reader->discarding) {
            reader->discarding = 0;
            continue;
        }
        if (reader->pending_length == 0) {
            continue;
        }
        long decoded = finish_packet(reader, payload);
        if (decoded >= 0) {
            *consumed = i + 1;
            return decoded;
        }
    }
    *consumed = length;
    return -1;
}

void mvhost_stream_reader_init(struct mvhost_stream_reader *reader, size_t max_payload)
{
    memset(reader, 0, sizeof *reader);
    reader->max_payload = max_payload;
}

void mvhost_stream_reader_reset(struct mvhost_stream_reader *reader)
{
    reader->length_filled = 0;
    reader->expected = 0;
    reader->filled = 0;
    reader->failure = NULL;
}

size_t mvhost_stream_reader_partial(const struct mvhost_stream_reader *reader)
{
    return reader->expected == 0 ? reader->length_filled : MVHOST_STREAM_LENGTH_BYTES + reader->filled;
}

void mvhost_stream_put_length(uint8_t *target, uint32_t length)
{
    for (unsigned i = 0; i < MVHOST_STREAM_LENGTH_BYTES; i++) {
        target[i] = (uint8_t)(length >> (8 * i));
    }
}

/* Takes the length bytes available; returns how many it took, and sets `expected` once all are in. */
static size_t read_length(struct mvhost_stream_reader *reader, const uint8_t *bytes, size_t length)
{
    size_t taken = MVHOST_STREAM_LENGTH_BYTES - reader->length_filled;
    if (taken > length) {
        taken = length;
    }
    memcpy(reader->length_bytes + reader->length_filled, bytes, taken);
    reader->length_filled += taken;
    if (reader->length_filled < MVHOST_STREAM_LENGTH_BYTES) {
        return taken;
    }

    uint32_t declared = 0;
    for (unsigned i = 0; i < MVHOST_STREAM_LENGTH_BYTES; i++) {
        declared |= (uint32_t)reader->length_bytes[i] << (8 * i);
    }
    reader->length_filled = 0;
    if (declared < MVHOST_STREAM_MIN_PAYLOAD) {
        reader->failure = "packet length below a 16-byte frame header";
    } else if (declared > reader->max_payload) {
        reader->failure = "packet length above the maximum";
    } else {
        reader->expected = declared;
        reader->filled = 0;
    }
    return taken;
}

long mvhost_stream_reader_feed(struct mvhost_stream_reader *reader, const uint8_t *bytes, size_t length,
                               size_t *consumed, uint8_t *payload)
{
    size_t offset = 0;
    while (reader->failure == NULL && offset < length) {
        if (reader->expected == 0) {
            offset += read_length(reader, bytes + offset, length - offset);
            continue;
        }
        size_t taken = reader->expected - reader->filled;
        if (taken > length - offset) {
            taken = length - offset;
        }
        memcpy(payload + reader->filled, bytes + offset, taken);
        reader->filled += taken;
        offset += taken;
        if (reader->filled < reader->expected) {
            continue;
        }

        size_t complete = reader->expected;
        reader->expected = 0;
        reader->filled = 0;
        *consumed = offset;
        if (payload[0] != 'M' || payload[1] != 'V') {
            reader->failure = "packet does not start with a frame's magic \"MV\"";
            return MVHOST_STREAM_BROKEN;
        }
        return (long)complete;
    }
    *consumed = offset;
    return reader->failure != NULL ? MVHOST_STREAM_BROKEN : -1;
}
