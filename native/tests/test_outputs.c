/*
 * Outputs reach app memory only from a RESPONSE that wrote them: values the kernel wrote are
 * stored, unwritten outputs leave the app's variables alone, and bytes never exceed the buffer
 * the app declared.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "fake_kernel.h"
#include "mv_syscalls.h"
#include "mvhost.h"
#include "wire.h"

static void written_outputs_are_stored(void)
{
    uint64_t microseconds = 0;
    MvNetworkHandle network = NULL;
    struct MvRequestNetworkParams params = {.version = 1};
    fake_kernel.u64_output = 0xABCDEF12345ull;

    CHECK_EQ(mvGetMicroseconds(&microseconds), MV_STATUS_OKAY);
    CHECK_EQ(microseconds, 0xABCDEF12345ull);
    CHECK_EQ(mvRequestNetwork(&params, &network), MV_STATUS_OKAY);
    CHECK_EQ((uintptr_t)network, 0xABCDEF12345ull);

    fake_kernel.u64_output = 0;
    CHECK_EQ(mvReleaseNetwork(&network), MV_STATUS_OKAY);
    CHECK(network == NULL);
}

static void failed_status_leaves_outputs_alone(void)
{
    uint64_t microseconds = 99;
    uint32_t hz = 7;
    fake_kernel.force_status = 1;
    fake_kernel.forced_status = MV_STATUS_INVALIDHANDLE;

    CHECK_EQ(mvGetMicroseconds(&microseconds), MV_STATUS_INVALIDHANDLE);
    CHECK_EQ(microseconds, 99);
    CHECK_EQ(mvGetSysClk(&hz), MV_STATUS_INVALIDHANDLE);
    CHECK_EQ(hz, 7);

    fake_kernel.force_status = 0;
}

static void item_value_fills_app_buffer(void)
{
    static const uint8_t value[] = "s3cr3t-value";
    uint8_t buffer[64];
    uint32_t length = 0;
    enum MvConfigKeyFetchResult result = MV_CONFIGKEYFETCHRESULT_SERVERERROR;
    struct MvConfigResponseReadItemParams item = {.item_index = 0, .result = &result,
                                                  .buf = {buffer, sizeof buffer, &length}};
    memset(buffer, 0xEE, sizeof buffer);
    fake_kernel.u32_output = 12;
    fake_kernel.bytes_output = value;
    fake_kernel.bytes_output_length = 12;

    CHECK_EQ(mvReadConfigResponseItem((MvChannelHandle)(uintptr_t)5, &item), MV_STATUS_OKAY);
    CHECK(memcmp(buffer, value, 12) == 0);
    CHECK_EQ(buffer[12], 0xEE);
    CHECK_EQ(length, 12);
    /* The fake writes its u32 output into every u32 slot, the result included. */
    CHECK_EQ(result, 12);
}

static void reply_larger_than_app_buffer_is_rejected(void)
{
    static uint8_t value[4096];
    uint8_t small[16];
    uint32_t length = 0;
    enum MvConfigKeyFetchResult result = MV_CONFIGKEYFETCHRESULT_OK;
    struct MvConfigResponseReadItemParams item = {.item_index = 0, .result = &result,
                                                  .buf = {small, sizeof small, &length}};
    struct mvhost_stats before;
    struct mvhost_stats after;
    memset(value, 'v', sizeof value);
    memset(small, 0, sizeof small);
    fake_kernel.bytes_output = value;
    fake_kernel.bytes_output_length = sizeof value;
    mvhost_get_stats(&before);

    CHECK_EQ(mvReadConfigResponseItem((MvChannelHandle)(uintptr_t)5, &item), MV_STATUS_INTERNALERROR);
    CHECK_EQ(small[0], 0);
    mvhost_get_stats(&after);
    CHECK_EQ(after.transport_errors, before.transport_errors + 1);
}

static void full_item_value_fits_reply(void)
{
    static uint8_t value[4096];
    static uint8_t buffer[4096];
    uint32_t length = 0;
    enum MvConfigKeyFetchResult result;
    struct MvConfigResponseReadItemParams item = {.item_index = 0, .result = &result,
                                                  .buf = {buffer, sizeof buffer, &length}};
    for (unsigned i = 0; i < sizeof value; i++) {
        value[i] = (uint8_t)('a' + i % 26);
    }
    fake_kernel.bytes_output = value;
    fake_kernel.bytes_output_length = sizeof value;
    fake_kernel.u32_output = sizeof value;

    CHECK_EQ(mvReadConfigResponseItem((MvChannelHandle)(uintptr_t)5, &item), MV_STATUS_OKAY);
    CHECK(memcmp(buffer, value, sizeof value) == 0);
    CHECK_EQ(length, sizeof value);
}

static void device_id_is_copied(void)
{
    static const uint8_t id[] = "UV0123456789abcdef0123456789abcdef";
    uint8_t buffer[35] = {0};
    fake_kernel.bytes_output = id;
    fake_kernel.bytes_output_length = 34;

    CHECK_EQ(mvGetDeviceId(buffer, 34), MV_STATUS_OKAY);
    CHECK(memcmp(buffer, id, 34) == 0);
    CHECK_EQ(buffer[34], 0);
}

static void clock_control_calls_reach_kernel(void)
{
    uint64_t now = 1;
    fake_kernel.now_us = 1000;

    CHECK_EQ(mvhost_clock_sleep_us(2500), 0);
    CHECK_EQ(fake_kernel.last_kind, 4);
    CHECK_EQ(mvhost_clock_now_us(&now), 0);
    CHECK_EQ(now, 3500);
    CHECK_EQ(mvhost_poll(), 0);
    CHECK_EQ(mvhost_clock_now_us(NULL), MVHOST_EINVAL);
}

static void sequence_numbers_increase(void)
{
    uint64_t value;
    mvGetMicroseconds(&value);
    uint32_t first = fake_kernel.last_sequence;
    mvGetMicroseconds(&value);

    CHECK_EQ(fake_kernel.last_sequence, first + 1);
}

/* What the faulty exchange below sends back. */
enum fault { FAULT_ERROR_FRAME, FAULT_GARBAGE, FAULT_WRONG_SEQUENCE, FAULT_NEGATIVE };
static enum fault current_fault;

static int32_t faulty_exchange(void *context, const uint8_t *request, uint32_t request_length, uint8_t *reply,
                               uint32_t reply_capacity)
{
    (void)context;
    struct mvhost_wire_header header;
    struct mvhost_wire_writer writer;
    if (mvhost_wire_parse_header(request, request_length, &header) != MVHOST_WIRE_OK) {
        return -1;
    }
    mvhost_wire_writer_init(&writer, reply, reply_capacity);

    switch (current_fault) {
    case FAULT_ERROR_FRAME:
        mvhost_wire_begin_frame(&writer, MVHOST_WIRE_ERROR, header.opcode, 0, header.sequence);
        mvhost_wire_put_u32(&writer, 1);
        mvhost_wire_put_bytes(&writer, "field 0 is malformed", 20);
        break;
    case FAULT_GARBAGE:
        memset(reply, 0x5A, 40);
        return 40;
    case FAULT_WRONG_SEQUENCE:
        mvhost_wire_begin_frame(&writer, MVHOST_WIRE_RESPONSE, header.opcode, 0, header.sequence + 1);
        mvhost_wire_put_u32(&writer, 0);
        mvhost_wire_put_u64(&writer, 1);
        break;
    case FAULT_NEGATIVE:
        return -1;
    }
    mvhost_wire_finish_frame(&writer);
    return (int32_t)writer.length;
}

static void faulty_replies_are_internal_errors(void)
{
    const enum fault faults[] = {FAULT_ERROR_FRAME, FAULT_GARBAGE, FAULT_WRONG_SEQUENCE, FAULT_NEGATIVE};
    struct mvhost_stats before;
    struct mvhost_stats after;
    mvhost_set_inprocess_transport(faulty_exchange, NULL);
    mvhost_get_stats(&before);

    for (unsigned i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        uint64_t microseconds = 77;
        current_fault = faults[i];
        CHECK_EQ(mvGetMicroseconds(&microseconds), MV_STATUS_INTERNALERROR);
        CHECK_EQ(microseconds, 77);
    }
    CHECK_EQ(mvhost_poll(), MVHOST_ETRANSPORT);

    mvhost_get_stats(&after);
    CHECK_EQ(after.transport_errors, before.transport_errors + 5);
    fake_kernel_install();
}

int main(void)
{
    mvhost_reset();
    fake_kernel_install();
    written_outputs_are_stored();
    failed_status_leaves_outputs_alone();
    item_value_fills_app_buffer();
    reply_larger_than_app_buffer_is_rejected();
    full_item_value_fits_reply();
    device_id_is_copied();
    clock_control_calls_reach_kernel();
    sequence_numbers_increase();
    faulty_replies_are_internal_errors();
    mvhost_clear_transport();
    return check_failures == 0 ? 0 : 1;
}
