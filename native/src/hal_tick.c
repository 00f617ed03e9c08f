/*
 * HAL tick, delay and NVIC wrappers on the kernel's clock.
 *
 * The tick is derived from the kernel's microsecond clock instead of a SysTick
 * counter, so it follows mvsim's virtual clock in tests; libmvhost reads it
 * from its cached CLOCK state without an exchange. HAL_Delay behaves as if
 * kernel time passed in 1 ms steps (one tick), running the handlers of lines
 * that delivered notifications pended after each step, as the tick interrupt's
 * granularity allows on hardware. mvhost_clock_wait_us lets it skip the steps
 * in which nothing happens, so a delay costs one exchange per notification run.
 */
#include <stdint.h>

#include "irq.h"
#include "stm32u5xx_hal.h"

#define MICROSECONDS_PER_TICK 1000U

static uint32_t tick_priority = TICK_INT_PRIORITY;

MVHOST_SHIM_API HAL_StatusTypeDef HAL_Init(void) {
    HAL_NVIC_SetPriorityGrouping(NVIC_PRIORITYGROUP_4);
    return HAL_InitTick(TICK_INT_PRIORITY);
}

MVHOST_SHIM_API HAL_StatusTypeDef HAL_DeInit(void) {
    return HAL_OK;
}

__attribute__((weak, visibility("default"))) HAL_StatusTypeDef HAL_InitTick(uint32_t TickPriority) {
    if (TickPriority > ((1U << __NVIC_PRIO_BITS) - 1U)) {
        return HAL_ERROR;
    }
    tick_priority = TickPriority;
    return HAL_OK;
}

MVHOST_SHIM_API void HAL_IncTick(void) {
}

MVHOST_SHIM_API uint32_t HAL_GetTick(void) {
    uint64_t now_us = 0;

    /* NOTE: a failing clock reads as tick 0, because HAL_GetTick has no way
       to report an error. */
    if (mvhost_clock_now_us(&now_us) != 0) {
        return 0;
    }
    /* Truncation to 32 bits is the real tick's wrap-around. */
    return (uint32_t)(now_us / MICROSECONDS_PER_TICK);
}

MVHOST_SHIM_API void HAL_Delay(uint32_t Delay) {
    uint64_t start_us = 0;
    if (mvhost_clock_now_us(&start_us) != 0) {
        return;
    }

    uint64_t wait_ticks = Delay;
    if (Delay < HAL_MAX_DELAY) {
        wait_ticks += 1;
    }
    uint64_t wait_us = wait_ticks * MICROSECONDS_PER_TICK;

    mvhost_irq_deliver();
    for (;;) {
        uint64_t now_us = 0;
        if (mvhost_clock_now_us(&now_us) != 0) {
            return;
        }
        /* A clock set back (a reconnect to a kernel behind the device) restarts the count, so the
           delay never ends early. */
        if (now_us < start_us) {
            start_us = now_us;
        }
        if (now_us - start_us >= wait_us) {
            return;
        }

        if (mvhost_clock_wait_us(wait_us - (now_us - start_us), MICROSECONDS_PER_TICK) != 0) {
            return;
        }
        mvhost_irq_deliver();
    }
}

MVHOST_SHIM_API void HAL_SuspendTick(void) {
}

MVHOST_SHIM_API void HAL_ResumeTick(void) {
}

MVHOST_SHIM_API uint32_t HAL_GetTickPrio(void) {
    return tick_priority;
}

MVHOST_SHIM_API HAL_TickFreqTypeDef HAL_GetTickFreq(void) {
    return HAL_TICK_FREQ_1KHZ;
}

MVHOST_SHIM_API HAL_StatusTypeDef HAL_SetTickFreq(HAL_TickFreqTypeDef Freq) {
    return Freq == HAL_TICK_FREQ_1KHZ ? HAL_OK : HAL_ERROR;
}

/* ---- NVIC wrappers ---- */

MVHOST_SHIM_API void HAL_NVIC_SetPriorityGrouping(uint32_t PriorityGroup) {
    NVIC_SetPriorityGrouping(PriorityGroup);
}

MVHOST_SHIM_API void HAL_NVIC_SetPriority(IRQn_Type IRQn, uint32_t PreemptPriority, uint32_t SubPriority) {
    (void)SubPriority;
    NVIC_SetPriority(IRQn, PreemptPriority);
}

MVHOST_SHIM_API void HAL_NVIC_EnableIRQ(IRQn_Type IRQn) {
    NVIC_EnableIRQ(IRQn);
}

MVHOST_SHIM_API void HAL_NVIC_DisableIRQ(IRQn_Type IRQn) {
    NVIC_DisableIRQ(IRQn);
}

MVHOST_SHIM_API void HAL_NVIC_SetPendingIRQ(IRQn_Type IRQn) {
    NVIC_SetPendingIRQ(IRQn);
}

MVHOST_SHIM_API void HAL_NVIC_ClearPendingIRQ(IRQn_Type IRQn) {
    NVIC_ClearPendingIRQ(IRQn);
}

MVHOST_SHIM_API uint32_t HAL_NVIC_GetPendingIRQ(IRQn_Type IRQn) {
    return NVIC_GetPendingIRQ(IRQn);
}

MVHOST_SHIM_API uint32_t HAL_NVIC_GetActive(IRQn_Type IRQn) {
    return NVIC_GetActive(IRQn);
}
