/*
 * SLEEP and WAIT answered in a quiet window: after a QUIET state, libmvhost lets a virtual clock
 * move on by itself when the move ends before the kernel's next event, and REPORTs it. Everything
 * that can bring an event forward (a network request it answered itself, a push taking the window
 * back, a new CLOCK, a reset, a wall clock) sends the next SLEEP or WAIT to the kernel again, which
 * the fake's request counter shows.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "fake_kernel.h"
#include "held_reports.h"
#include "host.h"
#include "local_handle_fixture.h"
#include "mv_syscalls.h"
#include "mvhost.h"
#include "stm32u5xx_hal.h"
#include "wire.h"

#define START_US 1000u
#define QUIET_UNTIL_US 5000u
#define CENTRE 0x0badf00du
#define NETWORK 0x5a17c0deu

static struct MvNotification ring[8];

/* Encodes a QUIET state into `out` (128 bytes); returns its length. */
static uint32_t encode_quiet(uint8_t *out, uint64_t until_us)
{
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, out, 128);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_STATE, MVHOST_STATE_QUIET, 0, 0);
    mvhost_wire_put_u64(&writer, until_us);
    CHECK_EQ(mvhost_wire_finish_frame(&writer), MVHOST_WIRE_OK);
    return (uint32_t)writer.length;
}

/* Queues a RESERVED_HANDLES state that offers CENTRE and NETWORK, whose new requests are CONNECTED. */
static void queue_reservation(void)
{
    static const uint64_t handles[2] = {CENTRE, NETWORK};
    fake_kernel_queue_reservation(MVHOST_RESERVED_SETUP_FREE | MVHOST_RESERVED_STATUS_KNOWN, MV_NETWORKSTATUS_CONNECTED,
                                  handles, 2, NULL, 0);
}

/* Resets libmvhost onto the fake at START_US on `clock_kind`; a poll's reply brings the CLOCK and a QUIET state. */
static void start_on(uint32_t clock_kind)
{
    uint8_t quiet[128];
    (void)mvhost_flush();
    fake_kernel_install();
    mvhost_reset();
    fake_kernel.clock_kind = clock_kind;
    fake_kernel.now_us = START_US;
    fake_kernel_queue_frame(quiet, encode_quiet(quiet, QUIET_UNTIL_US));
    CHECK_EQ(mvhost_poll(), 0);
}

static void start(void)
{
    start_on(MVHOST_CLOCK_VIRTUAL);
}

static uint64_t device_now(void)
{
    uint64_t now = 0;
    CHECK_EQ(mvhost_clock_now_us(&now), 0);
    return now;
}

static void sleep_before_next_event_needs_no_exchange(void)
{
    start();
    unsigned before = fake_kernel.requests;

    CHECK_EQ(mvhost_clock_sleep_us(1500), 0);
    CHECK_EQ(mvhost_clock_sleep_us(2000), 0);

    CHECK_EQ(fake_kernel.requests, before);
    CHECK_EQ(device_now(), START_US + 3500);
    CHECK_EQ(mvhost_flush(), 0);
    CHECK_EQ(fake_kernel.reports, 2);
    CHECK_EQ(fake_kernel.last_report_opcode, 0x0102);
}

static void sleep_reaching_next_event_goes_to_kernel(void)
{
    start();
    unsigned before = fake_kernel.requests;

    /* Ends exactly when the event falls due, which the kernel must run. */
    CHECK_EQ(mvhost_clock_sleep_us(QUIET_UNTIL_US - START_US), 0);

    CHECK_EQ(fake_kernel.requests, before + 1);
    CHECK_EQ(fake_kernel.last_opcode, 0x0102);
}

static void hal_delay_polls_before_next_event_need_no_exchange(void)
{
    start();
    unsigned before = fake_kernel.requests;

    /* HAL_Delay(1) waits two ticks, 2 ms, in a WAIT. */
    HAL_Delay(1);
    CHECK_EQ(device_now(), START_US + 2000);
    CHECK_EQ(fake_kernel.requests, before);

    /* The next one would end at 5 ms, when the event falls due. */
    HAL_Delay(1);
    CHECK_EQ(fake_kernel.requests, before + 1);
    CHECK_EQ(fake_kernel.last_opcode, 0x0104);
    CHECK_EQ(fake_kernel.reports, 1);
    CHECK_EQ(fake_kernel.last_report_opcode, 0x0104);
}

static void local_network_request_takes_window_back(void)
{
    MvNotificationHandle centre = 0;
    MvNetworkHandle network = 0;
    start();
    queue_reservation();
    CHECK_EQ(mvhost_poll(), 0);
    struct MvNotificationSetup setup = {.irq = 51, .buffer = ring, .buffer_size = sizeof ring};
    struct MvRequestNetworkParams params = {.version = 1};
    CHECK_EQ(mvSetupNotifications(&setup, &centre), MV_STATUS_OKAY);
    params.v1.notification_handle = centre;
    CHECK_EQ(mvRequestNetwork(&params, &network), MV_STATUS_OKAY);
    unsigned before = fake_kernel.requests;
    CHECK_EQ((uint64_t)(uintptr_t)network, NETWORK);

    /* The kernel may schedule the connect when it replays the request. */
    CHECK_EQ(mvhost_clock_sleep_us(10), 0);

    CHECK_EQ(fake_kernel.requests, before + 1);
}

static void pushed_revoke_takes_window_back(void)
{
    uint8_t revoke[128];
    start();

    CHECK_EQ(mvhost_deliver_frames(revoke, encode_quiet(revoke, 0)), 0);
    unsigned before = fake_kernel.requests;
    CHECK_EQ(mvhost_clock_sleep_us(10), 0);

    CHECK_EQ(fake_kernel.requests, before + 1);
}

static void pushed_clock_takes_window_back(void)
{
    uint8_t clock[64];
    start();

    CHECK_EQ(mvhost_deliver_frames(clock, fake_kernel_encode_clock(clock, MVHOST_CLOCK_VIRTUAL, START_US + 100)), 0);
    unsigned before = fake_kernel.requests;
    CHECK_EQ(mvhost_clock_sleep_us(10), 0);

    CHECK_EQ(fake_kernel.requests, before + 1);
}

static void wall_clock_always_goes_to_kernel(void)
{
    start_on(MVHOST_CLOCK_WALL);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(mvhost_clock_sleep_us(10), 0);

    CHECK_EQ(fake_kernel.requests, before + 1);
}

static void reset_forgets_window(void)
{
    start();
    mvhost_reset();
    fake_kernel_install();
    fake_kernel.clock_kind = MVHOST_CLOCK_VIRTUAL;
    unsigned before = fake_kernel.requests;

    CHECK_EQ(mvhost_clock_sleep_us(10), 0);

    CHECK_EQ(fake_kernel.requests, before + 1);
}

static void overflowing_sleep_goes_to_kernel(void)
{
    start();
    unsigned before = fake_kernel.requests;

    CHECK_EQ(mvhost_clock_sleep_us(UINT64_MAX), 0);

    CHECK_EQ(fake_kernel.requests, before + 1);
}

static uint8_t sent_frames[512];
static uint32_t sent_length;

static int capture_sent(const uint8_t *frames, uint32_t length)
{
    memcpy(sent_frames, frames, length);
    sent_length = length;
    return 0;
}

/* Encodes a REPORT frame with `opcode` and two small payloads into `out` (128 bytes); returns its length. */
static uint32_t encode_report(uint8_t *out, uint16_t opcode)
{
    static const uint8_t payload[4] = {1, 2, 3, 4};
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, out, 128);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_REPORT, opcode, 0, 9);
    mvhost_wire_put_bytes(&writer, payload, sizeof payload);
    mvhost_wire_put_bytes(&writer, payload, sizeof payload);
    CHECK_EQ(mvhost_wire_finish_frame(&writer), MVHOST_WIRE_OK);
    return (uint32_t)writer.length;
}

static void reports_kept_over_a_lost_link_leave_out_reads(void)
{
    uint8_t frames[1024];
    uint32_t length = encode_report(frames, 0x0102);
    length += encode_report(frames + length, 0x001D);
    length += encode_report(frames + length, 0x0104);
    uint32_t kept_length = length;
    length += encode_report(frames + length, 0x0026);
    length += encode_report(frames + length, 0x0027);
    length += encode_report(frames + length, 0x0016);
    sent_length = 0;

    mvhost_held_reports_keep(frames, length);
    mvhost_held_reports_send(capture_sent);
    mvhost_held_reports_delivered();

    /* The sleep, the close and the wait reach the kernel in order, so the close runs at its own time; the reads
       change nothing. */
    CHECK_EQ(sent_length, kept_length);
    CHECK(memcmp(sent_frames, frames, sent_length) == 0);
}

int main(void)
{
    sleep_before_next_event_needs_no_exchange();
    sleep_reaching_next_event_goes_to_kernel();
    hal_delay_polls_before_next_event_need_no_exchange();
    local_network_request_takes_window_back();
    pushed_revoke_takes_window_back();
    pushed_clock_takes_window_back();
    wall_clock_always_goes_to_kernel();
    reset_forgets_window();
    overflowing_sleep_goes_to_kernel();
    reports_kept_over_a_lost_link_leave_out_reads();
    return check_failures == 0 ? 0 : 1;
}
