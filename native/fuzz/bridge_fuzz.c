/*
 * Fuzz target for the C side of the bridge: the version 1 packet reader (COBS, CRC-32, length
 * bound), the version 2 stream reader (length prefix, bounds, frame magic), the reply decoder every syscall runs (through an in-process transport that answers with the fuzz
 * input), and the local answers given while disconnected.
 *
 * Built with -DMVHOST_LIBFUZZER=1 and -fsanitize=fuzzer it is a libFuzzer target. Otherwise main()
 * is a deterministic driver: `bridge_fuzz ITERATIONS [SEED]` runs random and mutated inputs and
 * prints a summary; CTest runs it briefly under the sanitizers. A crash, a sanitizer finding or a
 * hang (CTest's timeout) is a failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mv_syscalls.h"
#include "mvhost.h"
#include "transport_local.h"
#include "transport_packet.h"

#define MAX_INPUT 4096u

static const uint8_t *reply_input;
static size_t reply_input_length;

/* An in-process "kernel" whose reply is the fuzz input, whatever it holds. */
static int32_t replay_input(void *context, const uint8_t *request, uint32_t request_length, uint8_t *reply,
                            uint32_t capacity)
{
    (void)context;
    (void)request;
    (void)request_length;
    size_t length = reply_input_length < capacity ? reply_input_length : capacity;
    memcpy(reply, reply_input, length);
    return (int32_t)length;
}

static void fuzz_packets(const uint8_t *data, size_t size)
{
    static struct mvhost_packet_reader reader;
    static uint8_t payload[512];
    if (reader.pending == NULL) {
        mvhost_packet_reader_init(&reader, sizeof payload);
    }
    mvhost_packet_reader_reset(&reader);
    size_t offset = 0;
    while (offset < size) {
        size_t consumed = 0;
        long length = mvhost_packet_reader_feed(&reader, data + offset, size - offset, &consumed, payload);
        if (length > (long)sizeof payload || consumed == 0 || consumed > size - offset) {
            abort();
        }
        offset += consumed;
    }
}

/* Feeds the input to the version 2 reader in uneven pieces, as reads of a socket return it. */
static void fuzz_stream(const uint8_t *data, size_t size)
{
    static struct mvhost_stream_reader reader;
    static uint8_t payload[512];
    mvhost_stream_reader_init(&reader, sizeof payload);
    size_t offset = 0;
    size_t piece = 1;
    while (offset < size) {
        size_t length = size - offset < piece ? size - offset : piece;
        size_t consumed = 0;
        long result = mvhost_stream_reader_feed(&reader, data + offset, length, &consumed, payload);
        if (result > (long)sizeof payload || consumed > length ||
            (result >= 0 && (result < (long)MVHOST_STREAM_MIN_PAYLOAD || payload[0] != 'M' || payload[1] != 'V'))) {
            abort();
        }
        if (result == MVHOST_STREAM_BROKEN) {
            if (reader.failure == NULL) {
                abort();
            }
            return;
        }
        if (result == -1 && consumed != length) {
            abort();
        }
        if (mvhost_stream_reader_partial(&reader) > MVHOST_STREAM_LENGTH_BYTES + sizeof payload) {
            abort();
        }
        offset += consumed;
        piece = piece * 3 % 37 + 1;
    }
}

static void fuzz_reply(const uint8_t *data, size_t size)
{
    uint64_t microseconds = 0;
    enum MvNetworkStatus status;
    /* Sequence numbers restart at 1, so a mutated copy of the sequence-1 response can get deep. */
    mvhost_reset();
    reply_input = data;
    reply_input_length = size;
    mvhost_set_inprocess_transport(replay_input, NULL);
    (void)mvGetMicroseconds(&microseconds);
    (void)mvGetNetworkStatus((MvNetworkHandle)(uintptr_t)1, &status);
}

static void fuzz_local_answer(const uint8_t *data, size_t size)
{
    static uint8_t reply[256];
    int32_t length = mvhost_local_answer(data, (uint32_t)size, reply, sizeof reply);
    if (length > (int32_t)sizeof reply) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_packets(data, size);
    fuzz_stream(data, size);
    fuzz_reply(data, size);
    /* HARNESS_SLEEP would sleep for a fuzzed duration; the local answers for it are tested elsewhere. */
    if (size < 6 || data[4] != 0x02 || data[5] != 0x01) {
        fuzz_local_answer(data, size);
    }
    return 0;
}

#ifndef MVHOST_LIBFUZZER

static uint64_t random_state;

static uint32_t next_random(void)
{
    /* xorshift64: deterministic for a seed, so a failure reproduces from the printed seed. */
    random_state ^= random_state << 13;
    random_state ^= random_state >> 7;
    random_state ^= random_state << 17;
    return (uint32_t)(random_state >> 32);
}

/* A valid RESPONSE to mvGetMicroseconds for sequence 1, and its packet, as seeds for mutation. */
static const uint8_t VALID_RESPONSE[] = {0x4d, 0x56, 0x01, 0x02, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
                                         0x0e, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x87, 0xd6,
                                         0x12, 0x00, 0x00, 0x00, 0x00, 0x00};

int main(int argc, char **argv)
{
    static uint8_t input[MAX_INPUT];
    static uint8_t scratch[MAX_INPUT], packet[2 * MAX_INPUT];
    unsigned long iterations = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000ul;
    random_state = argc > 2 ? strtoull(argv[2], NULL, 10) : 0x9E3779B97F4A7C15ull;
    if (random_state == 0) {
        random_state = 1;
    }
    printf("bridge_fuzz: %lu iterations, seed %llu\n", iterations, (unsigned long long)random_state);

    for (unsigned long i = 0; i < iterations; i++) {
        size_t length;
        uint32_t shape = next_random() % 5;
        if (shape == 0) {
            /* Pure noise. */
            length = next_random() % 600;
            for (size_t j = 0; j < length; j++) {
                input[j] = (uint8_t)next_random();
            }
        } else if (shape == 1 || shape == 2) {
            /* A valid frame with a few bytes changed: lengths, tags, kinds and sequences go wrong. */
            length = sizeof VALID_RESPONSE;
            memcpy(input, VALID_RESPONSE, length);
            for (uint32_t flips = 1 + next_random() % 4; flips > 0; flips--) {
                input[next_random() % length] = (uint8_t)next_random();
            }
            if (shape == 2) {
                length = next_random() % (length + 1); /* truncated */
            }
        } else if (shape == 4) {
            /* Version 2 packets of the response with one byte of the stream changed, so that the
               stream reader often gets past the length and the reply decoder gets the payload. */
            size_t packet_length = MVHOST_STREAM_LENGTH_BYTES + sizeof VALID_RESPONSE;
            length = 0;
            for (uint32_t copies = 1 + next_random() % 3; copies > 0; copies--) {
                mvhost_stream_put_length(input + length, sizeof VALID_RESPONSE);
                memcpy(input + length + MVHOST_STREAM_LENGTH_BYTES, VALID_RESPONSE, sizeof VALID_RESPONSE);
                length += packet_length;
            }
            input[next_random() % length] = (uint8_t)next_random();
        } else {
            /* A valid packet of a mutated frame, so the reader passes it on. */
            memcpy(input, VALID_RESPONSE, sizeof VALID_RESPONSE);
            input[next_random() % sizeof VALID_RESPONSE] = (uint8_t)next_random();
            long encoded = mvhost_packet_encode(input, sizeof VALID_RESPONSE, scratch, packet, sizeof packet);
            length = (size_t)encoded;
            memcpy(input, packet, length);
        }
        LLVMFuzzerTestOneInput(input, length);
    }

    printf("bridge_fuzz: %lu inputs run with no crash\n", iterations);
    printf("1 passed, 0 failed\n");
    return 0;
}

#endif
