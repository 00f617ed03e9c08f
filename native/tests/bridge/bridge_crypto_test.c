/* SHA-256 against FIPS 180-4 examples and HMAC-SHA-256 against RFC 4231 test cases 1, 2 and 6. */
#include <stdlib.h>
#include <string.h>

#include "bridge_check.h"
#include "transport_sha256.h"

static void to_hex(const uint8_t *bytes, size_t length, char *hex)
{
    for (size_t i = 0; i < length; i++) {
        sprintf(hex + 2 * i, "%02x", bytes[i]);
    }
}

static int sha256_is(const void *data, size_t length, const char *expected)
{
    struct mvhost_sha256 sha;
    uint8_t digest[MVHOST_SHA256_BYTES];
    char hex[2 * MVHOST_SHA256_BYTES + 1];
    mvhost_sha256_init(&sha);
    mvhost_sha256_update(&sha, data, length);
    mvhost_sha256_final(&sha, digest);
    to_hex(digest, sizeof digest, hex);
    if (strcmp(hex, expected) != 0) {
        fprintf(stderr, "SHA-256 of %u bytes: got %s, expected %s\n", (unsigned)length, hex, expected);
        return 0;
    }
    return 1;
}

static int hmac_is(const uint8_t *key, size_t key_length, const char *data, const char *expected)
{
    struct mvhost_hmac_sha256 hmac;
    uint8_t mac[MVHOST_SHA256_BYTES];
    char hex[2 * MVHOST_SHA256_BYTES + 1];
    mvhost_hmac_sha256_init(&hmac, key, key_length);
    mvhost_hmac_sha256_update(&hmac, data, strlen(data));
    mvhost_hmac_sha256_final(&hmac, mac);
    to_hex(mac, sizeof mac, hex);
    if (strcmp(hex, expected) != 0) {
        fprintf(stderr, "HMAC-SHA-256 with a %u-byte key: got %s, expected %s\n", (unsigned)key_length, hex, expected);
        return 0;
    }
    return 1;
}

int main(void)
{
    int checks = 0;

    CHECK(sha256_is("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    CHECK(sha256_is("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    CHECK(sha256_is("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
                    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    checks += 3;

    /* One million 'a' fed in uneven pieces, which also walks the block-boundary code. */
    struct mvhost_sha256 sha;
    uint8_t digest[MVHOST_SHA256_BYTES];
    char hex[2 * MVHOST_SHA256_BYTES + 1];
    char *million = malloc(1000000);
    memset(million, 'a', 1000000);
    mvhost_sha256_init(&sha);
    for (size_t offset = 0, piece = 1; offset < 1000000; offset += piece, piece = piece % 97 + 13) {
        size_t take = offset + piece > 1000000 ? 1000000 - offset : piece;
        mvhost_sha256_update(&sha, million + offset, take);
    }
    mvhost_sha256_final(&sha, digest);
    to_hex(digest, sizeof digest, hex);
    CHECK(strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0);
    free(million);
    checks++;

    uint8_t key1[20];
    memset(key1, 0x0b, sizeof key1);
    CHECK(hmac_is(key1, sizeof key1, "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
    CHECK(hmac_is((const uint8_t *)"Jefe", 4, "what do ya want for nothing?",
                  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    uint8_t key6[131];
    memset(key6, 0xaa, sizeof key6);
    CHECK(hmac_is(key6, sizeof key6, "Test Using Larger Than Block-Size Key - Hash Key First",
                  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
    checks += 3;

    uint8_t a[4] = {1, 2, 3, 4};
    uint8_t b[4] = {1, 2, 3, 5};
    CHECK(mvhost_equal_constant_time(a, a, sizeof a) == 1);
    CHECK(mvhost_equal_constant_time(a, b, sizeof a) == 0);
    checks += 2;

    return bridge_finish("bridge_crypto_test", checks);
}
