#include "transport_sha256.h"

#include <string.h>

/* First 32 bits of the fractional parts of the cube roots of the first 64 primes (FIPS 180-4, 4.2.2). */
static const uint32_t ROUND_CONSTANTS[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

/* First 32 bits of the fractional parts of the square roots of the first 8 primes (FIPS 180-4, 5.3.3). */
static const uint32_t INITIAL_STATE[8] = {
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au, 0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
};

static uint32_t rotate_right(uint32_t value, unsigned count)
{
    return (value >> count) | (value << (32u - count));
}

static void compress(uint32_t state[8], const uint8_t block[MVHOST_SHA256_BLOCK_BYTES])
{
    uint32_t schedule[64];
    for (unsigned i = 0; i < 16; i++) {
        schedule[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 |
                      (uint32_t)block[4 * i + 2] << 8 | (uint32_t)block[4 * i + 3];
    }
    for (unsigned i = 16; i < 64; i++) {
        uint32_t s0 = rotate_right(schedule[i - 15], 7) ^ rotate_right(schedule[i - 15], 18) ^ (schedule[i - 15] >> 3);
        uint32_t s1 = rotate_right(schedule[i - 2], 17) ^ rotate_right(schedule[i - 2], 19) ^ (schedule[i - 2] >> 10);
        schedule[i] = schedule[i - 16] + s0 + schedule[i - 7] + s1;
    }

    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (unsigned i = 0; i < 64; i++) {
        uint32_t sum1 = rotate_right(e, 6) ^ rotate_right(e, 11) ^ rotate_right(e, 25);
        uint32_t choose = (e & f) ^ (~e & g);
        uint32_t temp1 = h + sum1 + choose + ROUND_CONSTANTS[i] + schedule[i];
        uint32_t sum0 = rotate_right(a, 2) ^ rotate_right(a, 13) ^ rotate_right(a, 22);
        uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
        uint32_t temp2 = sum0 + majority;
        h = g;
        g = f;
        f = e;
        e = d + temp1;
        d = c;
        c = b;
        b = a;
        a = temp1 + temp2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

void mvhost_sha256_init(struct mvhost_sha256 *sha)
{
    memcpy(sha->state, INITIAL_STATE, sizeof sha->state);
    sha->total_bytes = 0;
    sha->block_length = 0;
}

void mvhost_sha256_update(struct mvhost_sha256 *sha, const void *data, size_t length)
{
    const uint8_t *bytes = data;
    sha->total_bytes += length;
    while (length > 0) {
        size_t take = MVHOST_SHA256_BLOCK_BYTES - sha->block_length;
        if (take > length) {
            take = length;
        }
        memcpy(sha->block + sha->block_length, bytes, take);
        sha->block_length += take;
        bytes += take;
        length -= take;
        if (sha->block_length == MVHOST_SHA256_BLOCK_BYTES) {
            compress(sha->state, sha->block);
            sha->block_length = 0;
        }
    }
}

void mvhost_sha256_final(struct mvhost_sha256 *sha, uint8_t digest[MVHOST_SHA256_BYTES])
{
    uint64_t total_bits = sha->total_bytes * 8u;

    /* Padding: one 1 bit, zeros up to 56 bytes into a block, then the message length in bits. */
    sha->block[sha->block_length++] = 0x80;
    if (sha->block_length > 56) {
        memset(sha->block + sha->block_length, 0, MVHOST_SHA256_BLOCK_BYTES - sha->block_length);
        compress(sha->state, sha->block);
        sha->block_length = 0;
    }
    memset(sha->block + sha->block_length, 0, 56 - sha->block_length);
    for (unsigned i = 0; i < 8; i++) {
        sha->block[56 + i] = (uint8_t)(total_bits >> (56 - 8 * i));
    }
    compress(sha->state, sha->block);

    for (unsigned i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(sha->state[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(sha->state[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(sha->state[i] >> 8);
        digest[4 * i + 3] = (uint8_t)sha->state[i];
    }
}

void mvhost_hmac_sha256_init(struct mvhost_hmac_sha256 *hmac, const uint8_t *key, size_t key_length)
{
    uint8_t block_key[MVHOST_SHA256_BLOCK_BYTES] = {0};
    uint8_t inner_key[MVHOST_SHA256_BLOCK_BYTES];

    /* A key longer than a block is replaced by its digest (RFC 2104, section 2). */
    if (key_length > MVHOST_SHA256_BLOCK_BYTES) {
        struct mvhost_sha256 sha;
        mvhost_sha256_init(&sha);
        mvhost_sha256_update(&sha, key, key_length);
        mvhost_sha256_final(&sha, block_key);
    } else if (key_length > 0) {
        memcpy(block_key, key, key_length);
    }
    for (unsigned i = 0; i < MVHOST_SHA256_BLOCK_BYTES; i++) {
        inner_key[i] = block_key[i] ^ 0x36u;
        hmac->outer_key[i] = block_key[i] ^ 0x5Cu;
    }
    mvhost_sha256_init(&hmac->inner);
    mvhost_sha256_update(&hmac->inner, inner_key, sizeof inner_key);
}

void mvhost_hmac_sha256_update(struct mvhost_hmac_sha256 *hmac, const void *data, size_t length)
{
    mvhost_sha256_update(&hmac->inner, data, length);
}

void mvhost_hmac_sha256_final(struct mvhost_hmac_sha256 *hmac, uint8_t mac[MVHOST_SHA256_BYTES])
{
    uint8_t inner_digest[MVHOST_SHA256_BYTES];
    struct mvhost_sha256 outer;

    mvhost_sha256_final(&hmac->inner, inner_digest);
    mvhost_sha256_init(&outer);
    mvhost_sha256_update(&outer, hmac->outer_key, sizeof hmac->outer_key);
    mvhost_sha256_update(&outer, inner_digest, sizeof inner_digest);
    mvhost_sha256_final(&outer, mac);
}

int mvhost_equal_constant_time(const uint8_t *a, const uint8_t *b, size_t length)
{
    uint8_t difference = 0;
    for (size_t i = 0; i < length; i++) {
        difference |= (uint8_t)(a[i] ^ b[i]);
    }
    return difference == 0;
}
