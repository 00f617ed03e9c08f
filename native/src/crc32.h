/*
 * CRC-32 as zlib and IEEE 802.3 compute it (reflected polynomial 0xEDB88320, initial and final
 * value 0xFFFFFFFF); CRC-32 of "123456789" is 0xCBF43926. Java's java.util.zip.CRC32 computes
 * the same value.
 */
#ifndef MVHOST_CRC32_H
#define MVHOST_CRC32_H

#include <stddef.h>
#include <stdint.h>

uint32_t mvhost_crc32(const uint8_t *data, size_t length);

#endif
