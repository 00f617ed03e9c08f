/*
 * NVIC model semantics: a disabled line stays pending and runs when enabled,
 * pending coalesces, priority orders handlers, PRIMASK defers them, the
 * app's handler replaces the weak default, handlers never nest, and the
 * interrupt thread runs handlers on its own.
 */
#include <errno.h>
#include <semaphore.h>
#include <time.h>

#include "shim_check.h"
#include "irq.h"
#include "stm32u5xx_hal.h"

int check_failures;

/* Handler runs in order, as IRQ numbers. */
#define MAX_RECORDED_RUNS 16
static int32_t runs[MAX_RECORDED_RUNS];
static int run_count;

static int handler_depth;
static int max_handler_depth;

/* Set by a test to make the TIM8 handler try to nest another handler. */
static int nest_from_tim8;

static sem_t handler_ran;

static void record_run(int32_t irqn) {
    handler_depth++;
    if (handler_depth > max_handler_depth) {
        max_handler_depth = handler_depth;
    }
    if (run_count < MAX_RECORDED_RUNS) {
        runs[run_count] = irqn;
    }
    run_count++;
}

/* The app's own handlers, under their CMSIS names. */
void TIM8_BRK_IRQHandler(void);
void TIM2_IRQHandler(void);
void TIM3_IRQHandler(void);
void TIM4_IRQHandler(void);

void TIM8_BRK_IRQHandler(void) {
    record_run(TIM8_BRK_IRQn);
    if (nest_from_tim8) {
        /* What a syscall made from a handler does at its exit. */
        NVIC_SetPendingIRQ(TIM2_IRQn);
        mvhost_irq_service();
    }
    handler_depth--;
    sem_post(&handler_ran);
}

void TIM2_IRQHandler(void) {
    record_run(TIM2_IRQn);
    handler_depth--;
}

void TIM3_IRQHandler(void) {
    record_run(TIM3_IRQn);
    handler_depth--;
}

void TIM4_IRQHandler(void) {
    record_run(TIM4_IRQn);
    handler_depth--;
}

static void reset_all(void) {
    mvhost_irq_reset();
    run_count = 0;
    handler_depth = 0;
    max_handler_depth = 0;
    nest_from_tim8 = 0;
    while (sem_trywait(&handler_ran) == 0) {
    }
}

static void disabled_line_stays_pending(void) {
    mvhost_irq_pend(TIM8_BRK_IRQn);
    mvhost_irq_service();

    CHECK_EQ(run_count, 0);
    CHECK_EQ(NVIC_GetPendingIRQ(TIM8_BRK_IRQn), 1);

    NVIC_EnableIRQ(TIM8_BRK_IRQn);

    CHECK_EQ(run_count, 1);
    CHECK_EQ(NVIC_GetPendingIRQ(TIM8_BRK_IRQn), 0);
    CHECK_EQ(NVIC_GetEnableIRQ(TIM8_BRK_IRQn), 1);
}

static void cleared_pending_never_runs(void) {
    mvhost_irq_pend(TIM8_BRK_IRQn);
    NVIC_ClearPendingIRQ(TIM8_BRK_IRQn);
    NVIC_EnableIRQ(TIM8_BRK_IRQn);

    CHECK_EQ(run_count, 0);
}

static void pending_coalesces(void) {
    NVIC_EnableIRQ(TIM8_BRK_IRQn);
    mvhost_irq_pend(TIM8_BRK_IRQn);
    mvhost_irq_pend(TIM8_BRK_IRQn);
    mvhost_irq_service();

    CHECK_EQ(run_count, 1);

    mvhost_irq_pend(TIM8_BRK_IRQn);
    mvhost_irq_service();

    CHECK_EQ(run_count, 2);
}

static void set_pending_runs_enabled_handler(void) {
    NVIC_EnableIRQ(TIM2_IRQn);
    NVIC_SetPendingIRQ(TIM2_IRQn);

    CHECK_EQ(run_count, 1);
    CHECK_EQ(runs[0], TIM2_IRQn);
}

static void priority_orders_handlers(void) {
    NVIC_SetPriority(TIM2_IRQn, 5);
    NVIC_SetPriority(TIM3_IRQn, 1);
    NVIC_SetPriority(TIM4_IRQn, 1);
    NVIC_SetPriority(TIM8_BRK_IRQn, 0);
    mvhost_irq_pend(TIM2_IRQn);
    mvhost_irq_pend(TIM4_IRQn);
    mvhost_irq_pend(TIM3_IRQn);
    mvhost_irq_pend(TIM8_BRK_IRQn);

    __disable_irq();
    NVIC_EnableIRQ(TIM2_IRQn);
    NVIC_EnableIRQ(TIM3_IRQn);
    NVIC_EnableIRQ(TIM4_IRQn);
    NVIC_EnableIRQ(TIM8_BRK_IRQn);
    CHECK_EQ(run_count, 0);
    __enable_irq();

    CHECK_EQ(run_count, 4);
    CHECK_EQ(runs[0], TIM8_BRK_IRQn);
    CHECK_EQ(runs[1], TIM3_IRQn);
    CHECK_EQ(runs[2], TIM4_IRQn);
    CHECK_EQ(runs[3], TIM2_IRQn);
}

static void priority_keeps_four_bits(void) {
    NVIC_SetPriority(TIM2_IRQn, 0x1F);
    NVIC_SetPriority(SysTick_IRQn, 3);

    CHECK_EQ(NVIC_GetPriority(TIM2_IRQn), 0x0F);
    CHECK_EQ(NVIC_GetPriority(SysTick_IRQn), 3);
}

static void primask_holds_handlers_back(void) {
    NVIC_EnableIRQ(TIM8_BRK_IRQn);
    __disable_irq();
    NVIC_SetPendingIRQ(TIM8_BRK_IRQn);
    mvhost_irq_service();

    CHECK_EQ(run_count, 0);

    __enable_irq();

    CHECK_EQ(run_count, 1);
}

static void handlers_never_nest(void) {
    nest_from_tim8 = 1;
    NVIC_EnableIRQ(TIM2_IRQn);
    NVIC_EnableIRQ(TIM8_BRK_IRQn);
    NVIC_SetPendingIRQ(TIM8_BRK_IRQn);

    CHECK_EQ(max_handler_depth, 1);
    CHECK_EQ(run_count, 2);
    CHECK_EQ(runs[0], TIM8_BRK_IRQn);
    CHECK_EQ(runs[1], TIM2_IRQn);
}

static void app_handler_replaces_default(void) {
    CHECK(mvhost_irq_vector(TIM8_BRK_IRQn) == TIM8_BRK_IRQHandler);

    NVIC_EnableIRQ(TIM8_BRK_IRQn);
    NVIC_SetPendingIRQ(TIM8_BRK_IRQn);

    CHECK_EQ(run_count, 1);
    CHECK_EQ(mvhost_irq_default_handler_runs(), 0);
}

static void default_handler_runs_quietly(void) {
    NVIC_EnableIRQ(TIM1_BRK_IRQn);
    NVIC_SetPendingIRQ(TIM1_BRK_IRQn);

    CHECK_EQ(run_count, 0);
    CHECK_EQ(mvhost_irq_default_handler_runs(), 1);
    CHECK_EQ(NVIC_GetPendingIRQ(TIM1_BRK_IRQn), 0);
}

static void exceptions_and_bad_numbers_ignored(void) {
    NVIC_EnableIRQ(SysTick_IRQn);
    NVIC_SetPendingIRQ(SysTick_IRQn);
    mvhost_irq_pend(-1);
    mvhost_irq_pend(MVHOST_IRQ_LINE_COUNT);
    NVIC_EnableIRQ((IRQn_Type)MVHOST_IRQ_LINE_COUNT);

    CHECK_EQ(NVIC_GetEnableIRQ(SysTick_IRQn), 0);
    CHECK_EQ(NVIC_GetPendingIRQ(SysTick_IRQn), 0);
    CHECK(mvhost_irq_vector(-6) == NULL);
    CHECK(mvhost_irq_vector(MVHOST_IRQ_LINE_COUNT) == NULL);
    CHECK(mvhost_irq_vector(SysTick_IRQn) != NULL);
    CHECK_EQ(mvhost_irq_default_handler_runs(), 0);
}

/* Waits up to five seconds for the TIM8 handler to post, and returns 0 if it did. */
static int await_tim8_handler(void) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 5;

    int result;
    do {
        result = sem_timedwait(&handler_ran, &deadline);
    } while (result != 0 && errno == EINTR);
    return result;
}

static void interrupt_thread_runs_handlers(void) {
    CHECK_EQ(mvhost_irq_start_thread(), 0);
    CHECK_EQ(mvhost_irq_start_thread(), 0);
    NVIC_EnableIRQ(TIM8_BRK_IRQn);

    mvhost_irq_pend(TIM8_BRK_IRQn);

    CHECK_EQ(await_tim8_handler(), 0);

    /* With PRIMASK set, a pend must wait for __enable_irq. */
    __disable_irq();
    int runs_before = run_count;
    mvhost_irq_pend(TIM8_BRK_IRQn);
    CHECK_EQ(run_count, runs_before);
    CHECK_EQ(NVIC_GetPendingIRQ(TIM8_BRK_IRQn), 1);
    __enable_irq();

    CHECK_EQ(await_tim8_handler(), 0);
    CHECK_EQ(max_handler_depth, 1);

    mvhost_irq_stop_thread();
    mvhost_irq_stop_thread();
}

int main(void) {
    sem_init(&handler_ran, 0, 0);

    RUN_TEST(reset_all, disabled_line_stays_pending);
    RUN_TEST(reset_all, cleared_pending_never_runs);
    RUN_TEST(reset_all, pending_coalesces);
    RUN_TEST(reset_all, set_pending_runs_enabled_handler);
    RUN_TEST(reset_all, priority_orders_handlers);
    RUN_TEST(reset_all, priority_keeps_four_bits);
    RUN_TEST(reset_all, primask_holds_handlers_back);
    RUN_TEST(reset_all, handlers_never_nest);
    RUN_TEST(reset_all, app_handler_replaces_default);
    RUN_TEST(reset_all, default_handler_runs_quietly);
    RUN_TEST(reset_all, exceptions_and_bad_numbers_ignored);
    RUN_TEST(reset_all, interrupt_thread_runs_handlers);

    mvhost_irq_reset();
    sem_destroy(&handler_ran);
    return check_failures == 0 ? 0 : 1;
}
