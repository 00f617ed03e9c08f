/*
 * HAL tick and delay on the kernel clock: HAL_GetTick follows the clock,
 * HAL_Delay lets Delay + 1 ticks pass, runs handlers of notifications that
 * fall due during the wait within one tick, and leaves disabled lines
 * pending. Uses the virtual clock of fake_kernel_clock.c.
 */
#include "shim_check.h"
#include "fake_kernel_clock.h"
#include "irq.h"
#include "stm32u5xx_hal.h"

int check_failures;

static int tim8_runs;
static uint32_t tim8_tick_at_run;

void TIM8_BRK_IRQHandler(void);

void TIM8_BRK_IRQHandler(void) {
    tim8_runs++;
    tim8_tick_at_run = HAL_GetTick();
}

static void reset_all(void) {
    mvhost_irq_reset();
    fake_clock_reset();
    tim8_runs = 0;
    tim8_tick_at_run = 0;
}

static void tick_follows_kernel_clock(void) {
    CHECK_EQ(HAL_GetTick(), 0);

    mvhost_clock_sleep_us(2500);

    CHECK_EQ(HAL_GetTick(), 2);
}

static void delay_waits_one_extra_tick(void) {
    HAL_Delay(10);

    CHECK_EQ(HAL_GetTick(), 11);
}

static void delay_zero_waits_one_tick(void) {
    HAL_Delay(0);

    CHECK_EQ(HAL_GetTick(), 1);
}

static void delay_runs_due_handler(void) {
    NVIC_EnableIRQ(TIM8_BRK_IRQn);
    fake_clock_schedule_pend(3500, TIM8_BRK_IRQn);

    HAL_Delay(10);

    CHECK_EQ(tim8_runs, 1);
    CHECK_EQ(tim8_tick_at_run, 4);
    CHECK_EQ(HAL_GetTick(), 11);
}

static void delay_leaves_disabled_line_pending(void) {
    fake_clock_schedule_pend(2000, TIM8_BRK_IRQn);

    HAL_Delay(5);

    CHECK_EQ(tim8_runs, 0);
    CHECK_EQ(NVIC_GetPendingIRQ(TIM8_BRK_IRQn), 1);

    NVIC_EnableIRQ(TIM8_BRK_IRQn);

    CHECK_EQ(tim8_runs, 1);
}

static void delay_runs_already_pending_handler(void) {
    NVIC_EnableIRQ(TIM8_BRK_IRQn);
    __disable_irq();
    NVIC_SetPendingIRQ(TIM8_BRK_IRQn);
    __enable_irq();
    CHECK_EQ(tim8_runs, 1);

    mvhost_irq_pend(TIM8_BRK_IRQn);
    HAL_Delay(0);

    CHECK_EQ(tim8_runs, 2);
    CHECK_EQ(tim8_tick_at_run, 0);
}

static void delay_stops_on_clock_failure(void) {
    fake_clock_fail_from_now();

    HAL_Delay(1000);

    CHECK_EQ(fake_clock_sleep_calls(), 0);
    CHECK_EQ(HAL_GetTick(), 0);
}

static void init_sets_tick_priority(void) {
    CHECK_EQ(HAL_Init(), HAL_OK);
    CHECK_EQ(HAL_GetTickPrio(), TICK_INT_PRIORITY);
    CHECK_EQ(HAL_InitTick(16), HAL_ERROR);
    CHECK_EQ(HAL_SetTickFreq(HAL_TICK_FREQ_10HZ), HAL_ERROR);
    CHECK_EQ(HAL_GetTickFreq(), HAL_TICK_FREQ_1KHZ);
}

int main(void) {
    RUN_TEST(reset_all, tick_follows_kernel_clock);
    RUN_TEST(reset_all, delay_waits_one_extra_tick);
    RUN_TEST(reset_all, delay_zero_waits_one_tick);
    RUN_TEST(reset_all, delay_runs_due_handler);
    RUN_TEST(reset_all, delay_leaves_disabled_line_pending);
    RUN_TEST(reset_all, delay_runs_already_pending_handler);
    RUN_TEST(reset_all, delay_stops_on_clock_failure);
    RUN_TEST(reset_all, init_sets_tick_priority);

    mvhost_irq_reset();
    return check_failures == 0 ? 0 : 1;
}
