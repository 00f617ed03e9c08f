/*
 * SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104) for the bridge handshake. Small and local so
 * that libmvhost needs no crypto library; checked against the FIPS and RFC 4231 test vectors in
 * native/tests/bridge.
 */
#ifndef MVHOST_TRANSPORT_SHA256_H
#define MVHOST_TRANSPORT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define MVHOST_SHA256_BYTES 32u
#define MVHOST_SHA256_BLOCK_BYTES 64u

struct mvhost_sha256 {
    uint32_t state[8];
    uint64_t total_bytes;
    uint8_t block[MVHOST_SHA256_BLOCK_BYTES];
    size_t block_length;
};

void mvhost_sha256_init(struct mvhost_sha256 *sha);
void mvhost_sha256_update(struct mvhost_sha256 *sha, const void *data, size_t length);
void mvhost_sha256_final(struct mvhost_sha256 *sha, uint8_t digest[MVHOST_SHA256_BYTES]);

struct mvhost_hmac_sha256 {
    struct mvhost_sha256 inner;
    uint8_t outer_key[MVHOST_SHA256_BLOCK_BYTES];
};

void mvhost_hmac_sha256_init(struct mvhost_hmac_sha256 *hmac, const uint8_t *key, size_t key_length);
void mvhost_hmac_sha256_update(struct mvhost_hmac_sha256 *hmac, const void *data, size_t length);
void mvhost_hmac_sha256_final(struct mvhost_hmac_sha256 *hmac, uint8_t mac[MVHOST_SHA256_BYTES]);

/* Compares two byte strings in time that does not depend on where they differ; 1 if equal. */
int mvhost_equal_constant_time(const uint8_t *a, const uint8_t *b, size_t length);

#endif
