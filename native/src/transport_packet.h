/*
 * The bridge's packets: COBS(payload || CRC-32 little-endian) followed by a zero byte, on every
 * transport. The Java twin is dev.mvsim.bridge.Packets; golden packets shared by both test
 * suites are in native/tests/bridge/golden/packets.txt.
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

#endif
