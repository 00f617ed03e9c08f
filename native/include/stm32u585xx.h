/*
 * STM32U585 device definitions for host builds of Microvisor firmware.
 *
 * Provides what Microvisor apps use from ST's CMSIS device header: the
 * interrupt numbers (IRQn_Type, numbered as ST's stm32u585xx.h numbers them,
 * Cortex-M33 exceptions included) and the CMSIS NVIC and PRIMASK functions.
 * Registers and peripheral structs are not provided.
 *
 * The NVIC functions act on mvsim's interrupt model (libmvhost), not on
 * hardware. Interrupt handlers run one at a time on the host: a handler is
 * never preempted or re-entered, and priority decides only which pending
 * handler runs next. See docs/native.md for the other differences.
 */
#ifndef STM32U585XX_H
#define STM32U585XX_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Number of priority bits the STM32U5 NVIC implements (priorities 0..15). */
#define __NVIC_PRIO_BITS 4U

/* Interrupt numbers: negative for Cortex-M33 exceptions, 0 and up for the
   device's interrupt lines. */
typedef enum {
    Reset_IRQn            = -15,
    NonMaskableInt_IRQn   = -14,
    HardFault_IRQn        = -13,
    MemoryManagement_IRQn = -12,
    BusFault_IRQn         = -11,
    UsageFault_IRQn       = -10,
    SecureFault_IRQn      = -9,
    SVCall_IRQn           = -5,
    DebugMonitor_IRQn     = -4,
    PendSV_IRQn           = -2,
    SysTick_IRQn          = -1,
    WWDG_IRQn             = 0,
    PVD_PVM_IRQn          = 1,
    RTC_IRQn              = 2,
    RTC_S_IRQn            = 3,
    TAMP_IRQn             = 4,
    RAMCFG_IRQn           = 5,
    FLASH_IRQn            = 6,
    FLASH_S_IRQn          = 7,
    GTZC_IRQn             = 8,
    RCC_IRQn              = 9,
    RCC_S_IRQn            = 10,
    EXTI0_IRQn            = 11,
    EXTI1_IRQn            = 12,
    EXTI2_IRQn            = 13,
    EXTI3_IRQn            = 14,
    EXTI4_IRQn            = 15,
    EXTI5_IRQn            = 16,
    EXTI6_IRQn            = 17,
    EXTI7_IRQn            = 18,
    EXTI8_IRQn            = 19,
    EXTI9_IRQn            = 20,
    EXTI10_IRQn           = 21,
    EXTI11_IRQn           = 22,
    EXTI12_IRQn           = 23,
    EXTI13_IRQn           = 24,
    EXTI14_IRQn           = 25,
    EXTI15_IRQn           = 26,
    IWDG_IRQn             = 27,
    SAES_IRQn             = 28,
    GPDMA1_Channel0_IRQn  = 29,
    GPDMA1_Channel1_IRQn  = 30,
    GPDMA1_Channel2_IRQn  = 31,
    GPDMA1_Channel3_IRQn  = 32,
    GPDMA1_Channel4_IRQn  = 33,
    GPDMA1_Channel5_IRQn  = 34,
    GPDMA1_Channel6_IRQn  = 35,
    GPDMA1_Channel7_IRQn  = 36,
    ADC1_IRQn             = 37,
    DAC1_IRQn             = 38,
    FDCAN1_IT0_IRQn       = 39,
    FDCAN1_IT1_IRQn       = 40,
    TIM1_BRK_IRQn         = 41,
    TIM1_UP_IRQn          = 42,
    TIM1_TRG_COM_IRQn     = 43,
    TIM1_CC_IRQn          = 44,
    TIM2_IRQn             = 45,
    TIM3_IRQn             = 46,
    TIM4_IRQn             = 47,
    TIM5_IRQn             = 48,
    TIM6_IRQn             = 49,
    TIM7_IRQn             = 50,
    TIM8_BRK_IRQn         = 51,
    TIM8_UP_IRQn          = 52,
    TIM8_TRG_COM_IRQn     = 53,
    TIM8_CC_IRQn          = 54,
    I2C1_EV_IRQn          = 55,
    I2C1_ER_IRQn          = 56,
    I2C2_EV_IRQn          = 57,
    I2C2_ER_IRQn          = 58,
    SPI1_IRQn             = 59,
    SPI2_IRQn             = 60,
    USART1_IRQn           = 61,
    USART2_IRQn           = 62,
    USART3_IRQn           = 63,
    UART4_IRQn            = 64,
    UART5_IRQn            = 65,
    LPUART1_IRQn          = 66,
    LPTIM1_IRQn           = 67,
    LPTIM2_IRQn           = 68,
    TIM15_IRQn            = 69,
    TIM16_IRQn            = 70,
    TIM17_IRQn            = 71,
    COMP_IRQn             = 72,
    OTG_FS_IRQn           = 73,
    CRS_IRQn              = 74,
    FMC_IRQn              = 75,
    OCTOSPI1_IRQn         = 76,
    PWR_S3WU_IRQn         = 77,
    SDMMC1_IRQn           = 78,
    SDMMC2_IRQn           = 79,
    GPDMA1_Channel8_IRQn  = 80,
    GPDMA1_Channel9_IRQn  = 81,
    GPDMA1_Channel10_IRQn = 82,
    GPDMA1_Channel11_IRQn = 83,
    GPDMA1_Channel12_IRQn = 84,
    GPDMA1_Channel13_IRQn = 85,
    GPDMA1_Channel14_IRQn = 86,
    GPDMA1_Channel15_IRQn = 87,
    I2C3_EV_IRQn          = 88,
    I2C3_ER_IRQn          = 89,
    SAI1_IRQn             = 90,
    SAI2_IRQn             = 91,
    TSC_IRQn              = 92,
    AES_IRQn              = 93,
    RNG_IRQn              = 94,
    FPU_IRQn              = 95,
    HASH_IRQn             = 96,
    PKA_IRQn              = 97,
    LPTIM3_IRQn           = 98,
    SPI3_IRQn             = 99,
    I2C4_ER_IRQn          = 100,
    I2C4_EV_IRQn          = 101,
    MDF1_FLT0_IRQn        = 102,
    MDF1_FLT1_IRQn        = 103,
    MDF1_FLT2_IRQn        = 104,
    MDF1_FLT3_IRQn        = 105,
    UCPD1_IRQn            = 106,
    ICACHE_IRQn           = 107,
    OTFDEC1_IRQn          = 108,
    OTFDEC2_IRQn          = 109,
    LPTIM4_IRQn           = 110,
    DCACHE1_IRQn          = 111,
    ADF1_IRQn             = 112,
    ADC4_IRQn             = 113,
    LPDMA1_Channel0_IRQn  = 114,
    LPDMA1_Channel1_IRQn  = 115,
    LPDMA1_Channel2_IRQn  = 116,
    LPDMA1_Channel3_IRQn  = 117,
    DMA2D_IRQn            = 118,
    DCMI_PSSI_IRQn        = 119,
    OCTOSPI2_IRQn         = 120,
    MDF1_FLT4_IRQn        = 121,
    MDF1_FLT5_IRQn        = 122,
    CORDIC_IRQn           = 123,
    FMAC_IRQn             = 124,
} IRQn_Type;

/* Enables an interrupt line. A pending interrupt runs its handler as soon as
   handlers may run. Exceptions (IRQn < 0) are ignored, as in CMSIS. */
void NVIC_EnableIRQ(IRQn_Type IRQn);

/* Disables an interrupt line. Its pending state is kept. */
void NVIC_DisableIRQ(IRQn_Type IRQn);

/* Returns 1 if the line is enabled, else 0. */
uint32_t NVIC_GetEnableIRQ(IRQn_Type IRQn);

/* Sets the pending bit. Pending is a single bit, so pending a line twice
   before its handler runs runs the handler once. */
void NVIC_SetPendingIRQ(IRQn_Type IRQn);

/* Clears the pending bit without running the handler. */
void NVIC_ClearPendingIRQ(IRQn_Type IRQn);

/* Returns 1 if the line is pending, else 0. */
uint32_t NVIC_GetPendingIRQ(IRQn_Type IRQn);

/* Returns 1 while the line's handler is running, else 0. */
uint32_t NVIC_GetActive(IRQn_Type IRQn);

/* Sets the priority, 0 (most urgent) to 15. Only the low __NVIC_PRIO_BITS
   bits are kept. Exceptions (IRQn -15 to -1) store a priority too, although
   the model never raises them. */
void NVIC_SetPriority(IRQn_Type IRQn, uint32_t priority);

/* Returns the priority set with NVIC_SetPriority (0 after a reset). */
uint32_t NVIC_GetPriority(IRQn_Type IRQn);

/* Stores the priority grouping (0..7). The model has no preemption, so the
   grouping does not change which handler runs. */
void NVIC_SetPriorityGrouping(uint32_t PriorityGroup);
uint32_t NVIC_GetPriorityGrouping(void);

/* Set and clear PRIMASK. While PRIMASK is set no handler starts; when
   __disable_irq returns, no handler is running on another thread either. */
void __disable_irq(void);
void __enable_irq(void);

#ifdef __cplusplus
}
#endif

#endif /* STM32U585XX_H */
