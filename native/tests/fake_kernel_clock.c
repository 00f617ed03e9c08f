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

void fake_clock_reset(void) {
    now = 0;
    scheduled_count = 0;
    failing = false;
    sleep_calls = 0;
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

int mvhost_clock_now_us(uint64_t *now_us) {
    if (failing) {
        return -1;
    }
    *now_us = now;
    return 0;
}

int mvhost_clock_sleep_us(uint64_t duration_us) {
    sleep_calls++;
    if (failing) {
        return -1;
    }

    now += duration_us;
    for (int i = 0; i < scheduled_count; i++) {
        if (!scheduled[i].done && scheduled[i].at_us <= now) {
            scheduled[i].done = true;
            scheduled[i].action(scheduled[i].argument);
        }
    }
    return 0;
}
