#include "fake_kernel_clock.h"

#include <stdbool.h>

#include "irq.h"

#define MAX_SCHEDULED_ACTIONS 8

struct scheduled_action {
    uint64_t at_us;
    fake_clock_action action;
    int32_t argument;
    bool done;
};

static uint64_t now;
static struct scheduled_action scheduled[MAX_SCHEDULED_ACTIONS];
static int scheduled_count;
static bool failing;
static uint32_t sleep_calls;
static uint32_t wait_calls;

void fake_clock_reset(void) {
    now = 0;
    scheduled_count = 0;
    failing = false;
    sleep_calls = 0;
    wait_calls = 0;
}

void fake_clock_schedule(uint64_t at_us, fake_clock_action action, int32_t argument) {
    if (scheduled_count < MAX_SCHEDULED_ACTIONS) {
        scheduled[scheduled_count] = (struct scheduled_action){at_us, action, argument, false};
        scheduled_count++;
    }
}

void fake_clock_schedule_pend(uint64_t at_us, int32_t irqn) {
    fake_clock_schedule(at_us, mvhost_irq_pend, irqn);
}

uint64_t fake_clock_now_us(void) {
    return now;
}

void fake_clock_fail_from_now(void) {
    failing = true;
}

uint32_t fake_clock_sleep_calls(void) {
    return sleep_calls;
}

uint32_t fake_clock_wait_calls(void) {
    return wait_calls;
}

int mvhost_clock_now_us(uint64_t *now_us) {
    if (failing) {
        return -1;
    }
    *now_us = now;
    return 0;
}

/* Runs the actions due by `until` in schedule order; returns how many ran. */
static int run_due(uint64_t until) {
    int ran = 0;
    for (int i = 0; i < scheduled_count; i++) {
        if (!scheduled[i].done && scheduled[i].at_us <= until) {
            scheduled[i].done = true;
            scheduled[i].action(scheduled[i].argument);
            ran++;
        }
    }
    return ran;
}

/* Returns the time of the earliest action not run yet, or UINT64_MAX. */
static uint64_t next_due(void) {
    uint64_t next = UINT64_MAX;
    for (int i = 0; i < scheduled_count; i++) {
        if (!scheduled[i].done && scheduled[i].at_us < next) {
            next = scheduled[i].at_us;
        }
    }
    return next;
}

int mvhost_clock_sleep_us(uint64_t duration_us) {
    sleep_calls++;
    if (failing) {
        return -1;
    }

    now += duration_us;
    run_due(now);
    return 0;
}

/* Behaves as the kernel's WAIT: up to the end of the step holding the first due action. */
int mvhost_clock_wait_us(uint64_t max_us, uint64_t step_us) {
    wait_calls++;
    if (failing) {
        return -1;
    }

    uint64_t start = now;
    uint64_t end = start + max_us;
    uint64_t first = next_due();
    if (first <= end) {
        uint64_t steps = first <= start ? 1 : (first - start + step_us - 1) / step_us;
        uint64_t step_end = start + steps * step_us;
        end = step_end < end ? step_end : end;
    }
    now = end;
    run_due(now);
    return 0;
}
