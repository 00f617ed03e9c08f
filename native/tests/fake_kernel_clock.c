#include "fake_kernel_clock.h"

#include <stdbool.h>

#include "irq.h"

#define MAX_SCHEDULED_PENDS 8

struct scheduled_pend {
    uint64_t at_us;
    int32_t irqn;
    bool done;
};

static uint64_t now;
static struct scheduled_pend scheduled[MAX_SCHEDULED_PENDS];
static int scheduled_count;
static bool failing;
static uint32_t sleep_calls;

void fake_clock_reset(void) {
    now = 0;
    scheduled_count = 0;
    failing = false;
    sleep_calls = 0;
}

void fake_clock_schedule_pend(uint64_t at_us, int32_t irqn) {
    if (scheduled_count < MAX_SCHEDULED_PENDS) {
        scheduled[scheduled_count] = (struct scheduled_pend){at_us, irqn, false};
        scheduled_count++;
    }
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
            mvhost_irq_pend(scheduled[i].irqn);
        }
    }
    return 0;
}
