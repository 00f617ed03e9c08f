/*
 * The part of the STM32U5 HAL that Microvisor apps use for ticks, delays and
 * interrupts, for host builds.
 *
 * HAL_GetTick and HAL_Delay run on the Microvisor kernel's microsecond clock
 * (mvGetMicroseconds), so under mvsim's virtual clock a delay lets simulated
 * time pass and due notifications arrive. Peripheral drivers (GPIO, I2C, ...)
 * and the app's stm32u5xx_hal_conf.h are not used.
 */
#ifndef STM32U5XX_HAL_H
#define STM32U5XX_HAL_H

#include <stdint.h>

#include "stm32u5xx.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    HAL_OK = 0x00U,
    HAL_ERROR = 0x01U,
    HAL_BUSY = 0x02U,
    HAL_TIMEOUT = 0x03U
} HAL_StatusTypeDef;

/* Timeout value meaning "wait forever" in HAL calls. */
#define HAL_MAX_DELAY 0xFFFFFFFFU

/* Priority of the tick interrupt. Apps normally set it in stm32u5xx_hal_conf.h,
   which host builds do not read, so the lowest priority is the default. */
#ifndef TICK_INT_PRIORITY
#define TICK_INT_PRIORITY ((1UL << __NVIC_PRIO_BITS) - 1UL)
#endif

/* Priority grouping values for HAL_NVIC_SetPriorityGrouping. */
#define NVIC_PRIORITYGROUP_0 0x00000007U
#define NVIC_PRIORITYGROUP_1 0x00000006U
#define NVIC_PRIORITYGROUP_2 0x00000005U
#define NVIC_PRIORITYGROUP_3 0x00000004U
#define NVIC_PRIORITYGROUP_4 0x00000003U

/* Tick frequencies for HAL_GetTickFreq. Only 1 kHz is modelled. */
typedef enum {
    HAL_TICK_FREQ_10HZ = 100U,
    HAL_TICK_FREQ_100HZ = 10U,
    HAL_TICK_FREQ_1KHZ = 1U,
    HAL_TICK_FREQ_DEFAULT = HAL_TICK_FREQ_1KHZ
} HAL_TickFreqTypeDef;

/* Sets the priority grouping and calls HAL_InitTick(TICK_INT_PRIORITY), whose
   result it returns. */
HAL_StatusTypeDef HAL_Init(void);

/* Returns HAL_OK. The host has no peripherals to reset. */
HAL_StatusTypeDef HAL_DeInit(void);

/* Records the tick priority and returns HAL_OK. The tick needs no timer on the
   host, because HAL_GetTick reads the kernel clock. Defined weak, so an app
   may supply its own, as with the real HAL. */
HAL_StatusTypeDef HAL_InitTick(uint32_t TickPriority);

/* Does nothing: the tick is derived from the kernel clock, so a SysTick
   handler that calls it is harmless. */
void HAL_IncTick(void);

/* Returns milliseconds since the kernel started: the kernel's microsecond
   clock (the one mvGetMicroseconds reads) divided by 1000. Wraps after about 49.7 days like the real tick. */
uint32_t HAL_GetTick(void);

/* Waits at least Delay milliseconds of kernel time. The real HAL adds one tick
   to the wait, and so does this one, except for HAL_MAX_DELAY. Pending enabled
   interrupt handlers run during the wait. */
void HAL_Delay(uint32_t Delay);

/* Stop and restart the tick. Ignored: the kernel clock cannot be paused. */
void HAL_SuspendTick(void);
void HAL_ResumeTick(void);

uint32_t HAL_GetTickPrio(void);
HAL_TickFreqTypeDef HAL_GetTickFreq(void);

/* Only HAL_TICK_FREQ_1KHZ is accepted; other values return HAL_ERROR. */
HAL_StatusTypeDef HAL_SetTickFreq(HAL_TickFreqTypeDef Freq);

/* HAL wrappers of the CMSIS NVIC functions. PreemptPriority is used as the
   priority and SubPriority is ignored, because handlers never preempt each
   other on the host. */
void HAL_NVIC_SetPriorityGrouping(uint32_t PriorityGroup);
void HAL_NVIC_SetPriority(IRQn_Type IRQn, uint32_t PreemptPriority, uint32_t SubPriority);
void HAL_NVIC_EnableIRQ(IRQn_Type IRQn);
void HAL_NVIC_DisableIRQ(IRQn_Type IRQn);
void HAL_NVIC_SetPendingIRQ(IRQn_Type IRQn);
void HAL_NVIC_ClearPendingIRQ(IRQn_Type IRQn);
uint32_t HAL_NVIC_GetPendingIRQ(IRQn_Type IRQn);
uint32_t HAL_NVIC_GetActive(IRQn_Type IRQn);

#ifdef __cplusplus
}
#endif

#endif /* STM32U5XX_HAL_H */
