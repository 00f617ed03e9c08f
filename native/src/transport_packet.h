/*
 * The bridge's packets. Version 1: COBS(payload || CRC-32 little-endian) followed by a zero byte,
 * used by every handshake and throughout on a serial line. The Java twin is
 * dev.mvsim.bridge.Packets; golden packets shared by both test suites are in
 * native/tests/bridge/golden/packets.txt. Version 2, for stream sockets, is at the end.
 */
#ifndef MVHOST_TRANSPORT_PACKET_H
#define MVHOST_TRANSPORT_PACKET_H

#include <stddef.h>
#include <stdint.h>

#include "cobs.h"
#include "wire.h"

/* Largest payload: two maximum-size frames, as in the reply buffer. */
#define MVHOST_PACKET_MAX_PAYLOAD (2u * MVHOST_WIRE_MAX_FRAME_BYTES)
#define MVHOST_PACKET_CRC_BYTES 4u
/* Largest packet, delimiter included. */
#define MVHOST_PACKET_MAX_ENCODED (MVHOST_COBS_MAX_ENCODED(MVHOST_PACKET_MAX_PAYLOAD + MVHOST_PACKET_CRC_BYTES) + 1u)

/*
 * Encodes `payload` into `packet` (capacity `capacity`), using `scratch` (at least length + 4
 * bytes) for the payload with its CRC. Returns the packet length with its delimiter, or -1 when
 * the payload or the packet would exceed its maximum.
 */
long mvhost_packet_encode(const uint8_t *payload, size_t length, uint8_t *scratch, uint8_t *packet, size_t capacity);

/* Splits a byte stream into packets; a damaged or oversized packet is dropped and counted. */
struct mvhost_packet_reader {
    uint8_t *pending;      /* encoded bytes since the last delimiter, at most max_encoded */
    size_t pending_length;
    size_t max_encoded;
    int discarding;        /* skipping an oversized packet up to the next delimiter */
    uint64_t dropped;
    const char *last_drop; /* why the last packet was dropped, a static string */
};

/* Returns 0, or -1 if the buffer for `max_encoded` bytes cannot be allocated. */
int mvhost_packet_reader_init(struct mvhost_packet_reader *reader, size_t max_encoded);
void mvhost_packet_reader_release(struct mvhost_packet_reader *reader);
void mvhost_packet_reader_reset(struct mvhost_packet_reader *reader);

/*
 * Consumes bytes up to and including the next delimiter. Returns the decoded payload length
 * (written to `payload`, which holds max_encoded bytes) when a valid packet ended, or -1 when more
 * bytes are needed; *consumed says how many bytes of `bytes` were used either way. A dropped packet
 * increments `dropped` and sets `last_drop`; the caller logs it.
 */
long mvhost_packet_reader_feed(struct mvhost_packet_reader *reader, const uint8_t *bytes, size_t length,
                               size_t *consumed, uint8_t *payload);

/*
 * Bridge protocol version 2, for TCP and Unix sockets after the handshake: a packet is its
 * payload's length (u32 little-endian) followed by the payload, with no COBS and no CRC, because
 * a stream socket neither loses nor damages bytes. The Java twin is dev.mvsim.bridge.StreamPackets;
 * golden packets are in native/tests/bridge/golden/stream_packets.txt.
 */
#define MVHOST_STREAM_LENGTH_BYTES 4u
/* Smallest payload: one frame header. */
#define MVHOST_STREAM_MIN_PAYLOAD MVHOST_WIRE_HEADER_BYTES

/* Return value of mvhost_stream_reader_feed for a stream that broke its framing. */
#define MVHOST_STREAM_BROKEN (-2)

/*
 * Splits a version 2 stream into payloads. A stream has no delimiter to resynchronise at, so the
 * first bad packet ends the reading: a length below a frame header or above max_payload, or a
 * payload that does not start with the frame magic "MV".
 */
struct mvhost_stream_reader {
    uint8_t length_bytes[MVHOST_STREAM_LENGTH_BYTES];
    size_t length_filled;
    size_t expected;      /* payload length of the packet being read; 0 while its length is incomplete */
    size_t filled;        /* payload bytes of that packet read so far */
    size_t max_payload;
    const char *failure;  /* why the stream cannot be read on, a static string, or NULL */
};

void mvhost_stream_reader_init(struct mvhost_stream_reader *reader, size_t max_payload);
void mvhost_stream_reader_reset(struct mvhost_stream_reader *reader);

/* Returns how many bytes of an unfinished packet, its length included, the reader has taken. */
size_t mvhost_stream_reader_partial(const struct mvhost_stream_reader *reader);

/*
 * Consumes bytes up to the end of the next packet. Returns the payload length when a packet ended,
 * -1 when more bytes are needed, or MVHOST_STREAM_BROKEN with `failure` set. *consumed is set to
 * the number of bytes of `bytes` used. The payload is written to `payload`, which has max_payload
 * bytes and must be the same buffer on every call until the packet ends.
 */
long mvhost_stream_reader_feed(struct mvhost_stream_reader *reader, const uint8_t *bytes, size_t length,
                               size_t *consumed, uint8_t *payload);

/* Writes the length that precedes a payload of `length` bytes, MVHOST_STREAM_LENGTH_BYTES of them. */
void mvhost_stream_put_length(uint8_t *target, uint32_t length);

#endif
