/*
 * mvsim's model of the Cortex-M33 NVIC and PRIMASK.
 *
 * Each external line has an enabled, a pending and an active bit and a 4-bit
 * priority, as on the STM32U585. Pending is one bit, so pends that arrive
 * before the handler runs coalesce into one run. A disabled line keeps its
 * pending bit and runs when enabled. Unlike hardware, handlers never preempt
 * one another: a more urgent line pended during a handler runs after it.
 * One mutex guards the state. Handlers run with the mutex released, so they
 * may call NVIC functions and syscalls.
 */
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "irq.h"
#include "stm32u585xx.h"

/* Exceptions (-15..-1) also have a priority slot, so the priority table is
   offset by 16. */
#define EXCEPTION_SLOTS 16
#define PRIORITY_MASK ((1U << __NVIC_PRIO_BITS) - 1U)
#define PRIORITY_GROUP_MASK 0x7U

/* The line bits are kept as bitmaps, so that finding the next runnable line,
   which libmvhost does at every syscall exit, is a few word operations when
   nothing is pending. */
#define BITMAP_WORDS ((MVHOST_IRQ_LINE_COUNT + 31) / 32)

struct nvic_state {
    uint32_t enabled[BITMAP_WORDS];
    uint32_t pending[BITMAP_WORDS];
    uint32_t active[BITMAP_WORDS];
    uint8_t priority[EXCEPTION_SLOTS + MVHOST_IRQ_LINE_COUNT];
    uint32_t priority_grouping;

    /* PRIMASK: while set, no handler starts. */
    bool primask;

    /* Set while some thread runs handlers in mvhost_irq_service. */
    bool servicing;
    pthread_t servicing_thread;

    bool thread_running;
    bool thread_stop_requested;
    pthread_t interrupt_thread;
};

static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;

/* Broadcast whenever a handler may have become runnable or a service pass
   ended, so the interrupt thread and __disable_irq can re-check. */
static pthread_cond_t state_changed = PTHREAD_COND_INITIALIZER;

static struct nvic_state state;

static bool is_line(int32_t irqn) {
    return irqn >= 0 && irqn < MVHOST_IRQ_LINE_COUNT;
}

static bool has_priority_slot(int32_t irqn) {
    return irqn >= -EXCEPTION_SLOTS + 1 && irqn < MVHOST_IRQ_LINE_COUNT;
}

static bool test_bit(const uint32_t *bitmap, int32_t line) {
    return (bitmap[line / 32] >> (line % 32)) & 1U;
}

static void set_bit(uint32_t *bitmap, int32_t line, bool value) {
    uint32_t mask = 1U << (line % 32);
    if (value) {
        bitmap[line / 32] |= mask;
    } else {
        bitmap[line / 32] &= ~mask;
    }
}

/* Returns the most urgent runnable line, the lower number first among equal
   priorities, or -1. Caller holds state_lock. */
static int32_t next_runnable_line(void) {
    int32_t best = -1;

    for (int32_t word = 0; word < BITMAP_WORDS; word++) {
        uint32_t runnable = state.pending[word] & state.enabled[word] & ~state.active[word];
        while (runnable != 0) {
            int32_t line = word * 32 + __builtin_ctz(runnable);
            runnable &= runnable - 1;
            if (best < 0 || state.priority[EXCEPTION_SLOTS + line] <
                                state.priority[EXCEPTION_SLOTS + best]) {
                best = line;
            }
        }
    }
    return best;
}

/* ---- libmvhost interface ---- */

MVHOST_SHIM_API void mvhost_irq_pend(int32_t irqn) {
    if (!is_line(irqn)) {
        return;
    }

    pthread_mutex_lock(&state_lock);
    set_bit(state.pending, irqn, true);
    pthread_cond_broadcast(&state_changed);
    pthread_mutex_unlock(&state_lock);
}

MVHOST_SHIM_API void mvhost_irq_service(void) {
    pthread_mutex_lock(&state_lock);
    if (state.primask || state.servicing) {
        pthread_mutex_unlock(&state_lock);
        return;
    }
    state.servicing = true;
    state.servicing_thread = pthread_self();

    for (;;) {
        int32_t line = next_runnable_line();
        if (line < 0) {
            break;
        }

        /* Clear pending before the handler runs, as the NVIC does on
           exception entry, so a pend during the handler runs it again. */
        set_bit(state.pending, line, false);
        set_bit(state.active, line, true);
        pthread_mutex_unlock(&state_lock);

        mvhost_irq_handler_t handler = mvhost_irq_vector(line);
        handler();

        pthread_mutex_lock(&state_lock);
        set_bit(state.active, line, false);
        if (state.primask) {
            break;
        }
    }

    state.servicing = false;
    pthread_cond_broadcast(&state_changed);
    pthread_mutex_unlock(&state_lock);
}

MVHOST_SHIM_API void mvhost_irq_deliver(void) {
    pthread_mutex_lock(&state_lock);
    if (!state.thread_running) {
        pthread_mutex_unlock(&state_lock);
        mvhost_irq_service();
        return;
    }

    pthread_cond_broadcast(&state_changed);

    /* On hardware a pending enabled interrupt runs before the app goes on.
       Waiting here keeps that order in thread mode, so under a virtual clock
       HAL_Delay cannot race ahead of the handlers. A handler and the
       interrupt thread skip the wait, because they would wait for
       themselves. */
    pthread_t self = pthread_self();
    bool in_handler = state.servicing && pthread_equal(state.servicing_thread, self);
    bool on_interrupt_thread = pthread_equal(state.interrupt_thread, self);
    if (!in_handler && !on_interrupt_thread) {
        while (state.thread_running && !state.thread_stop_requested && !state.primask &&
               (state.servicing || next_runnable_line() >= 0)) {
            pthread_cond_wait(&state_changed, &state_lock);
        }
    }
    pthread_mutex_unlock(&state_lock);
}

static void *run_interrupt_thread(void *unused) {
    (void)unused;

    pthread_mutex_lock(&state_lock);
    while (!state.thread_stop_requested) {
        if (!state.primask && !state.servicing && next_runnable_line() >= 0) {
            pthread_mutex_unlock(&state_lock);
            mvhost_irq_service();
            pthread_mutex_lock(&state_lock);
            continue;
        }
        pthread_cond_wait(&state_changed, &state_lock);
    }
    pthread_mutex_unlock(&state_lock);
    return NULL;
}

MVHOST_SHIM_API int mvhost_irq_start_thread(void) {
    pthread_mutex_lock(&state_lock);
    if (state.thread_running) {
        pthread_mutex_unlock(&state_lock);
        return 0;
    }

    state.thread_stop_requested = false;
    int error = pthread_create(&state.interrupt_thread, NULL, run_interrupt_thread, NULL);
    state.thread_running = (error == 0);
    pthread_mutex_unlock(&state_lock);
    return error;
}

MVHOST_SHIM_API void mvhost_irq_stop_thread(void) {
    pthread_mutex_lock(&state_lock);
    if (!state.thread_running) {
        pthread_mutex_unlock(&state_lock);
        return;
    }
    state.thread_stop_requested = true;
    pthread_cond_broadcast(&state_changed);
    pthread_t thread = state.interrupt_thread;
    pthread_mutex_unlock(&state_lock);

    pthread_join(thread, NULL);

    pthread_mutex_lock(&state_lock);
    state.thread_running = false;
    state.thread_stop_requested = false;
    pthread_mutex_unlock(&state_lock);
}

MVHOST_SHIM_API void mvhost_irq_reset(void) {
    mvhost_irq_stop_thread();

    pthread_mutex_lock(&state_lock);
    memset(&state, 0, sizeof state);
    pthread_mutex_unlock(&state_lock);

    mvhost_irq_reset_vectors();
}

/* ---- CMSIS NVIC functions ---- */

MVHOST_SHIM_API void NVIC_EnableIRQ(IRQn_Type IRQn) {
    if (!is_line(IRQn)) {
        return;
    }

    pthread_mutex_lock(&state_lock);
    set_bit(state.enabled, IRQn, true);
    pthread_mutex_unlock(&state_lock);

    mvhost_irq_deliver();
}

MVHOST_SHIM_API void NVIC_DisableIRQ(IRQn_Type IRQn) {
    if (!is_line(IRQn)) {
        return;
    }

    pthread_mutex_lock(&state_lock);
    set_bit(state.enabled, IRQn, false);
    pthread_mutex_unlock(&state_lock);
}

MVHOST_SHIM_API uint32_t NVIC_GetEnableIRQ(IRQn_Type IRQn) {
    if (!is_line(IRQn)) {
        return 0;
    }

    pthread_mutex_lock(&state_lock);
    bool enabled = test_bit(state.enabled, IRQn);
    pthread_mutex_unlock(&state_lock);
    return enabled ? 1U : 0U;
}

MVHOST_SHIM_API void NVIC_SetPendingIRQ(IRQn_Type IRQn) {
    if (!is_line(IRQn)) {
        return;
    }

    mvhost_irq_pend(IRQn);
    mvhost_irq_deliver();
}

MVHOST_SHIM_API void NVIC_ClearPendingIRQ(IRQn_Type IRQn) {
    if (!is_line(IRQn)) {
        return;
    }

    pthread_mutex_lock(&state_lock);
    set_bit(state.pending, IRQn, false);
    pthread_mutex_unlock(&state_lock);
}

MVHOST_SHIM_API uint32_t NVIC_GetPendingIRQ(IRQn_Type IRQn) {
    if (!is_line(IRQn)) {
        return 0;
    }

    pthread_mutex_lock(&state_lock);
    bool pending = test_bit(state.pending, IRQn);
    pthread_mutex_unlock(&state_lock);
    return pending ? 1U : 0U;
}

MVHOST_SHIM_API uint32_t NVIC_GetActive(IRQn_Type IRQn) {
    if (!is_line(IRQn)) {
        return 0;
    }

    pthread_mutex_lock(&state_lock);
    bool active = test_bit(state.active, IRQn);
    pthread_mutex_unlock(&state_lock);
    return active ? 1U : 0U;
}

MVHOST_SHIM_API void NVIC_SetPriority(IRQn_Type IRQn, uint32_t priority) {
    if (!has_priority_slot(IRQn)) {
        return;
    }

    pthread_mutex_lock(&state_lock);
    state.priority[EXCEPTION_SLOTS + IRQn] = (uint8_t)(priority & PRIORITY_MASK);
    pthread_mutex_unlock(&state_lock);
}

MVHOST_SHIM_API uint32_t NVIC_GetPriority(IRQn_Type IRQn) {
    if (!has_priority_slot(IRQn)) {
        return 0;
    }

    pthread_mutex_lock(&state_lock);
    uint32_t priority = state.priority[EXCEPTION_SLOTS + IRQn];
    pthread_mutex_unlock(&state_lock);
    return priority;
}

MVHOST_SHIM_API void NVIC_SetPriorityGrouping(uint32_t PriorityGroup) {
    pthread_mutex_lock(&state_lock);
    state.priority_grouping = PriorityGroup & PRIORITY_GROUP_MASK;
    pthread_mutex_unlock(&state_lock);
}

MVHOST_SHIM_API uint32_t NVIC_GetPriorityGrouping(void) {
    pthread_mutex_lock(&state_lock);
    uint32_t grouping = state.priority_grouping;
    pthread_mutex_unlock(&state_lock);
    return grouping;
}

/* ---- PRIMASK ---- */

MVHOST_SHIM_API void __disable_irq(void) {
    pthread_mutex_lock(&state_lock);
    state.primask = true;

    /* A handler may be running on another thread (the interrupt thread, or an
       app thread in a syscall). Wait for it, so the caller's critical section
       really excludes handlers. The service loop stops after that handler
       because PRIMASK is now set. */
    while (state.servicing && !pthread_equal(state.servicing_thread, pthread_self())) {
        pthread_cond_wait(&state_changed, &state_lock);
    }
    pthread_mutex_unlock(&state_lock);
}

MVHOST_SHIM_API void __enable_irq(void) {
    pthread_mutex_lock(&state_lock);
    state.primask = false;
    pthread_mutex_unlock(&state_lock);

    mvhost_irq_deliver();
}
