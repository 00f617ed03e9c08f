#include "crc32.h"

#include <pthread.h>

#define POLYNOMIAL 0xEDB88320u

static uint32_t table[256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

/* One table entry per byte value: the CRC of that byte alone, eight shifts at a time saved. */
static void build_table(void)
{
    for (uint32_t value = 0; value < 256; value++) {
        uint32_t crc = value;
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc & 1u) ? (crc >> 1) ^ POLYNOMIAL : crc >> 1;
        }
        table[value] = crc;
    }
}

uint32_t mvhost_crc32(const uint8_t *data, size_t length)
{
    pthread_once(&table_once, build_table);
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < length; i++) {
        crc = table[(crc ^ data[i]) & 0xFFu] ^ (crc >> 8);
    }
    return crc ^ 0xFFFFFFFFu;
}
