/*
 * The device clock cache: after the first reply that carries a CLOCK state, mvhost_clock_now_us
 * and HAL_GetTick make no exchange. A virtual clock reads the cached time, a wall clock runs on
 * from it at the host's rate. Replies to WAIT and SLEEP move it, pushed CLOCK states replace it,
 * and a kernel that sends no CLOCK states gets an exchange per read as before.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "fake_kernel.h"
#include "mvhost.h"
#include "stm32u5xx_hal.h"
#include "wire.h"

static uint64_t control_calls(void)
{
    struct mvhost_stats stats;
    mvhost_get_stats(&stats);
    return stats.control_calls;
}

static void start(uint32_t clock_kind, uint64_t now_us)
{
    mvhost_reset();
    fake_kernel_install();
    fake_kernel.clock_kind = clock_kind;
    fake_kernel.now_us = now_us;
}

static void virtual_clock_is_read_from_cache(void)
{
    uint64_t now = 0;
    start(MVHOST_CLOCK_VIRTUAL, 5000);

    CHECK_EQ(mvhost_clock_now_us(&now), 0);
    CHECK_EQ(now, 5000);
    CHECK_EQ(control_calls(), 1);

    fake_kernel.now_us = 9000; /* moved without a CLOCK state, so the cache still returns 5000 */
    CHECK_EQ(mvhost_clock_now_us(&now), 0);
    CHECK_EQ(now, 5000);
    CHECK_EQ(HAL_GetTick(), 5);
    CHECK_EQ(control_calls(), 1);
}

static void kernel_without_clock_states_is_asked_each_time(void)
{
    uint64_t now = 0;
    start(0, 7000);

    CHECK_EQ(mvhost_clock_now_us(&now), 0);
    CHECK_EQ(mvhost_clock_now_us(&now), 0);
    CHECK_EQ(now, 7000);
    CHECK_EQ(control_calls(), 2);
}

static void wait_reply_moves_cached_clock(void)
{
    uint64_t now = 0;
    start(MVHOST_CLOCK_VIRTUAL, 1000);
    CHECK_EQ(mvhost_clock_now_us(&now), 0);

    CHECK_EQ(mvhost_clock_wait_us(2500, 1000), 0);

    CHECK_EQ(mvhost_clock_now_us(&now), 0);
    CHECK_EQ(now, 3500);
    CHECK_EQ(control_calls(), 2);
    CHECK_EQ(mvhost_clock_wait_us(10, 0), MVHOST_EINVAL);
}

static void delay_on_virtual_clock_is_one_wait(void)
{
    start(MVHOST_CLOCK_VIRTUAL, 0);

    HAL_Delay(100);

    CHECK_EQ(HAL_GetTick(), 101);
    /* One NOW to learn the clock, one WAIT for the whole delay. */
    CHECK_EQ(control_calls(), 2);
}

static void wall_clock_runs_from_cached_time(void)
{
    uint64_t first = 0;
    uint64_t second = 0;
    start(MVHOST_CLOCK_WALL, 40000000);

    CHECK_EQ(mvhost_clock_now_us(&first), 0);
    for (int i = 0; i < 1000000 && second <= first; i++) {
        CHECK_EQ(mvhost_clock_now_us(&second), 0);
    }

    CHECK(first >= 40000000);
    CHECK(second > first);
    CHECK_EQ(control_calls(), 1);
}

static void pushed_clock_state_replaces_cache(void)
{
    uint8_t frame[64];
    uint64_t now = 0;
    start(MVHOST_CLOCK_VIRTUAL, 1000);
    CHECK_EQ(mvhost_clock_now_us(&now), 0);

    uint32_t length = fake_kernel_encode_clock(frame, MVHOST_CLOCK_VIRTUAL, 123456);
    CHECK_EQ(mvhost_deliver_frames(frame, length), 0);

    CHECK_EQ(mvhost_clock_now_us(&now), 0);
    CHECK_EQ(now, 123456);
    CHECK_EQ(control_calls(), 1);
}

static void clock_state_with_unknown_kind_is_ignored(void)
{
    uint8_t frame[64];
    uint64_t now = 0;
    start(MVHOST_CLOCK_VIRTUAL, 1000);
    CHECK_EQ(mvhost_clock_now_us(&now), 0);

    uint32_t length = fake_kernel_encode_clock(frame, 9, 123456);
    CHECK_EQ(mvhost_deliver_frames(frame, length), 0);

    CHECK_EQ(mvhost_clock_now_us(&now), 0);
    CHECK_EQ(now, 1000);
}

static void malformed_clock_state_is_counted(void)
{
    uint8_t storage[64];
    struct mvhost_wire_writer writer;
    struct mvhost_stats stats;
    start(MVHOST_CLOCK_VIRTUAL, 1000);
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_STATE, MVHOST_STATE_CLOCK, 0, 0);
    mvhost_wire_put_u64(&writer, 1);
    mvhost_wire_put_u64(&writer, 2);
    mvhost_wire_finish_frame(&writer);

    CHECK_EQ(mvhost_deliver_frames(writer.data, (uint32_t)writer.length), 0);

    mvhost_get_stats(&stats);
    CHECK_EQ(stats.transport_errors, 1);
}

static void unknown_state_opcode_is_skipped(void)
{
    uint8_t storage[64];
    struct mvhost_wire_writer writer;
    uint64_t now = 0;
    start(MVHOST_CLOCK_VIRTUAL, 1000);
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_STATE, 0x7F, 0, 0);
    mvhost_wire_put_u32(&writer, 1);
    mvhost_wire_finish_frame(&writer);

    CHECK_EQ(mvhost_deliver_frames(writer.data, (uint32_t)writer.length), 0);
    CHECK_EQ(mvhost_clock_now_us(&now), 0);
    CHECK_EQ(now, 1000);
}

static void reset_forgets_cached_clock(void)
{
    uint64_t now = 0;
    start(MVHOST_CLOCK_VIRTUAL, 1000);
    CHECK_EQ(mvhost_clock_now_us(&now), 0);

    mvhost_reset();
    fake_kernel.now_us = 2000;
    fake_kernel.clock_sent = 0;

    CHECK_EQ(mvhost_clock_now_us(&now), 0);
    CHECK_EQ(now, 2000);
    CHECK_EQ(control_calls(), 1);
}

int main(void)
{
    virtual_clock_is_read_from_cache();
    kernel_without_clock_states_is_asked_each_time();
    wait_reply_moves_cached_clock();
    delay_on_virtual_clock_is_one_wait();
    wall_clock_runs_from_cached_time();
    pushed_clock_state_replaces_cache();
    clock_state_with_unknown_kind_is_ignored();
    malformed_clock_state_is_counted();
    unknown_state_opcode_is_skipped();
    reset_forgets_cached_clock();
    mvhost_clear_transport();
    return check_failures == 0 ? 0 : 1;
}
