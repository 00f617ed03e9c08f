/*
 * Consistent Overhead Byte Stuffing, the bridge's packet framing: the encoded form contains no
 * zero byte, so a zero delimits packets and a receiver finds the next packet after noise.
 * The Java twin is dev.mvsim.bridge.Cobs.
 */
#ifndef MVHOST_COBS_H
#define MVHOST_COBS_H

#include <stddef.h>
#include <stdint.h>

/* Largest encoded size of `length` bytes, without the delimiter. */
#define MVHOST_COBS_MAX_ENCODED(length) ((length) + (length) / 254u + 1u)

/*
 * Encodes `length` bytes into `encoded`, which must hold MVHOST_COBS_MAX_ENCODED(length) bytes.
 * Returns the encoded length.
 */
size_t mvhost_cobs_encode(const uint8_t *data, size_t length, uint8_t *encoded);

/*
 * Decodes `length` bytes into `decoded`, which must hold `length` bytes (decoding never grows).
 * Returns the decoded length, or -1 if the input contains a zero byte or a code byte runs past
 * its end.
 */
long mvhost_cobs_decode(const uint8_t *encoded, size_t length, uint8_t *decoded);

#endif
