/*
 * Measures a syscall round trip through libmvhost's in-process transport against a C fake
 * kernel: the wrapper encodes the request, the fake decodes it and encodes the response, and
 * the wrapper decodes it and writes the output. Prints the median over batches, in ns per call.
 *
 *   mvhost_bench [BATCHES] [CALLS_PER_BATCH]
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mv_syscalls.h"
#include "mvhost.h"
#include "wire.h"

static uint8_t item_value[4096];
static uint64_t fake_clock_us;

/* Replies to mvGetMicroseconds with the clock and to mvReadConfigResponseItem with a 4096-byte value. */
static int32_t fake_exchange(void *context, const uint8_t *request, uint32_t request_length, uint8_t *reply,
                             uint32_t reply_capacity)
{
    (void)context;
    struct mvhost_wire_header header;
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field field;
    if (mvhost_wire_parse_header(request, request_length, &header) != MVHOST_WIRE_OK) {
        return -1;
    }
    mvhost_wire_reader_init(&reader, request + MVHOST_WIRE_HEADER_BYTES, header.payload_length);
    while (!mvhost_wire_reader_at_end(&reader)) {
        if (mvhost_wire_read_field(&reader, &field) != MVHOST_WIRE_OK) {
            return -1;
        }
    }

    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, reply, reply_capacity);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_RESPONSE, header.opcode, 0, header.sequence);
    mvhost_wire_put_u32(&writer, MV_STATUS_OKAY);
    if (header.opcode == 0x0002) {
        mvhost_wire_put_u64(&writer, ++fake_clock_us);
    } else {
        mvhost_wire_put_u32(&writer, MV_CONFIGKEYFETCHRESULT_OK);
        mvhost_wire_put_bytes(&writer, item_value, sizeof item_value);
        mvhost_wire_put_u32(&writer, sizeof item_value);
    }
    if (mvhost_wire_finish_frame(&writer) != MVHOST_WIRE_OK || writer.heap) {
        mvhost_wire_writer_release(&writer);
        return -1;
    }
    return (int32_t)writer.length;
}

static uint64_t now_ns(void)
{
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (uint64_t)time.tv_sec * 1000000000u + (uint64_t)time.tv_nsec;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint8_t value_buffer[4096];

static enum MvStatus call_microseconds(void)
{
    uint64_t us;
    return mvGetMicroseconds(&us);
}

static enum MvStatus call_read_item(void)
{
    uint32_t length;
    enum MvConfigKeyFetchResult result;
    struct MvConfigResponseReadItemParams item = {.item_index = 0, .result = &result,
                                                  .buf = {value_buffer, sizeof value_buffer, &length}};
    return mvReadConfigResponseItem((MvChannelHandle)(uintptr_t)1, &item);
}

static double median_ns(enum MvStatus (*call)(void), unsigned batches, unsigned calls)
{
    double *per_call = malloc(batches * sizeof *per_call);
    for (unsigned i = 0; i < calls; i++) {
        (void)call(); /* warm-up */
    }
    for (unsigned batch = 0; batch < batches; batch++) {
        uint64_t start = now_ns();
        for (unsigned i = 0; i < calls; i++) {
            if (call() != MV_STATUS_OKAY) {
                fprintf(stderr, "mvhost_bench: a call returned a status other than MV_STATUS_OKAY\n");
                exit(1);
            }
        }
        per_call[batch] = (double)(now_ns() - start) / calls;
    }
    qsort(per_call, batches, sizeof *per_call, compare);
    double median = per_call[batches / 2];
    free(per_call);
    return median;
}

int main(int argc, char **argv)
{
    unsigned batches = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 101;
    unsigned calls = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 2000;
    if (batches == 0 || calls == 0) {
        fprintf(stderr, "usage: %s [BATCHES] [CALLS_PER_BATCH], both at least 1\n", argv[0]);
        return 2;
    }
    memset(item_value, 'v', sizeof item_value);
    mvhost_set_inprocess_transport(fake_exchange, NULL);

    printf("mvGetMicroseconds round trip: median %.0f ns per call (%u batches of %u)\n",
           median_ns(call_microseconds, batches, calls), batches, calls);
    printf("mvReadConfigResponseItem, 4096-byte value: median %.0f ns per call (%u batches of %u)\n",
           median_ns(call_read_item, batches, calls), batches, calls);

    mvhost_clear_transport();
    return 0;
}
