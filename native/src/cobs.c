#include "cobs.h"

/* A code byte of 0xFF describes 254 data bytes and no implied zero. */
#define MAX_CODE 0xFFu

size_t mvhost_cobs_encode(const uint8_t *data, size_t length, uint8_t *encoded)
{
    size_t code_index = 0;
    size_t write = 1;
    uint8_t code = 1;

    for (size_t i = 0; i < length; i++) {
        if (data[i] == 0) {
            encoded[code_index] = code;
            code_index = write++;
            code = 1;
            continue;
        }
        encoded[write++] = data[i];
        code++;
        if (code == MAX_CODE) {
            encoded[code_index] = code;
            code_index = write++;
            code = 1;
        }
    }
    encoded[code_index] = code;
    return write;
}

long mvhost_cobs_decode(const uint8_t *encoded, size_t length, uint8_t *decoded)
{
    size_t read = 0;
    size_t write = 0;

    while (read < length) {
        uint8_t code = encoded[read++];
        if (code == 0 || read + code - 1u > length) {
            return -1;
        }
        for (uint8_t i = 1; i < code; i++) {
            uint8_t value = encoded[read++];
            if (value == 0) {
                return -1;
            }
            decoded[write++] = value;
        }

        /* Every run but a full one and the last ends in the zero that its code byte replaced. */
        if (code != MAX_CODE && read < length) {
            decoded[write++] = 0;
        }
    }
    return (long)write;
}
