/*
 * Weak default interrupt handlers under the CMSIS names, and the vector table
 * that maps each IRQn to its handler.
 *
 * An app defines a handler under its CMSIS name (TIM8_BRK_IRQHandler, ...).
 * Its strong definition replaces the weak default when libmvhost is linked
 * statically, and by symbol interposition when libmvhost.so is loaded together
 * with (or after) the app. A firmware library loaded after libmvhost.so, as a
 * JVM loads one through JNA, comes too late for interposition, because
 * libmvhost's references are already bound to its own defaults. For that case
 * mvhost_irq_vector searches the loaded objects for the handler by name the
 * first time the line fires, and keeps what it finds until mvhost_irq_reset.
 *
 * A default handler only counts its run. On hardware the CMSIS default loops
 * forever, which would hang a host test.
 */
#define _GNU_SOURCE

#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

#include "irq.h"
#include "stm32u585xx.h"

/* Every vector of the STM32U585: IRQn and the CMSIS handler name. */
#define MVHOST_IRQ_VECTORS(X) \
    X(Reset_IRQn, Reset_Handler) \
    X(NonMaskableInt_IRQn, NMI_Handler) \
    X(HardFault_IRQn, HardFault_Handler) \
    X(MemoryManagement_IRQn, MemManage_Handler) \
    X(BusFault_IRQn, BusFault_Handler) \
    X(UsageFault_IRQn, UsageFault_Handler) \
    X(SecureFault_IRQn, SecureFault_Handler) \
    X(SVCall_IRQn, SVC_Handler) \
    X(DebugMonitor_IRQn, DebugMon_Handler) \
    X(PendSV_IRQn, PendSV_Handler) \
    X(SysTick_IRQn, SysTick_Handler) \
    X(WWDG_IRQn, WWDG_IRQHandler) \
    X(PVD_PVM_IRQn, PVD_PVM_IRQHandler) \
    X(RTC_IRQn, RTC_IRQHandler) \
    X(RTC_S_IRQn, RTC_S_IRQHandler) \
    X(TAMP_IRQn, TAMP_IRQHandler) \
    X(RAMCFG_IRQn, RAMCFG_IRQHandler) \
    X(FLASH_IRQn, FLASH_IRQHandler) \
    X(FLASH_S_IRQn, FLASH_S_IRQHandler) \
    X(GTZC_IRQn, GTZC_IRQHandler) \
    X(RCC_IRQn, RCC_IRQHandler) \
    X(RCC_S_IRQn, RCC_S_IRQHandler) \
    X(EXTI0_IRQn, EXTI0_IRQHandler) \
    X(EXTI1_IRQn, EXTI1_IRQHandler) \
    X(EXTI2_IRQn, EXTI2_IRQHandler) \
    X(EXTI3_IRQn, EXTI3_IRQHandler) \
    X(EXTI4_IRQn, EXTI4_IRQHandler) \
    X(EXTI5_IRQn, EXTI5_IRQHandler) \
    X(EXTI6_IRQn, EXTI6_IRQHandler) \
    X(EXTI7_IRQn, EXTI7_IRQHandler) \
    X(EXTI8_IRQn, EXTI8_IRQHandler) \
    X(EXTI9_IRQn, EXTI9_IRQHandler) \
    X(EXTI10_IRQn, EXTI10_IRQHandler) \
    X(EXTI11_IRQn, EXTI11_IRQHandler) \
    X(EXTI12_IRQn, EXTI12_IRQHandler) \
    X(EXTI13_IRQn, EXTI13_IRQHandler) \
    X(EXTI14_IRQn, EXTI14_IRQHandler) \
    X(EXTI15_IRQn, EXTI15_IRQHandler) \
    X(IWDG_IRQn, IWDG_IRQHandler) \
    X(SAES_IRQn, SAES_IRQHandler) \
    X(GPDMA1_Channel0_IRQn, GPDMA1_Channel0_IRQHandler) \
    X(GPDMA1_Channel1_IRQn, GPDMA1_Channel1_IRQHandler) \
    X(GPDMA1_Channel2_IRQn, GPDMA1_Channel2_IRQHandler) \
    X(GPDMA1_Channel3_IRQn, GPDMA1_Channel3_IRQHandler) \
    X(GPDMA1_Channel4_IRQn, GPDMA1_Channel4_IRQHandler) \
    X(GPDMA1_Channel5_IRQn, GPDMA1_Channel5_IRQHandler) \
    X(GPDMA1_Channel6_IRQn, GPDMA1_Channel6_IRQHandler) \
    X(GPDMA1_Channel7_IRQn, GPDMA1_Channel7_IRQHandler) \
    X(ADC1_IRQn, ADC1_IRQHandler) \
    X(DAC1_IRQn, DAC1_IRQHandler) \
    X(FDCAN1_IT0_IRQn, FDCAN1_IT0_IRQHandler) \
    X(FDCAN1_IT1_IRQn, FDCAN1_IT1_IRQHandler) \
    X(TIM1_BRK_IRQn, TIM1_BRK_IRQHandler) \
    X(TIM1_UP_IRQn, TIM1_UP_IRQHandler) \
    X(TIM1_TRG_COM_IRQn, TIM1_TRG_COM_IRQHandler) \
    X(TIM1_CC_IRQn, TIM1_CC_IRQHandler) \
    X(TIM2_IRQn, TIM2_IRQHandler) \
    X(TIM3_IRQn, TIM3_IRQHandler) \
    X(TIM4_IRQn, TIM4_IRQHandler) \
    X(TIM5_IRQn, TIM5_IRQHandler) \
    X(TIM6_IRQn, TIM6_IRQHandler) \
    X(TIM7_IRQn, TIM7_IRQHandler) \
    X(TIM8_BRK_IRQn, TIM8_BRK_IRQHandler) \
    X(TIM8_UP_IRQn, TIM8_UP_IRQHandler) \
    X(TIM8_TRG_COM_IRQn, TIM8_TRG_COM_IRQHandler) \
    X(TIM8_CC_IRQn, TIM8_CC_IRQHandler) \
    X(I2C1_EV_IRQn, I2C1_EV_IRQHandler) \
    X(I2C1_ER_IRQn, I2C1_ER_IRQHandler) \
    X(I2C2_EV_IRQn, I2C2_EV_IRQHandler) \
    X(I2C2_ER_IRQn, I2C2_ER_IRQHandler) \
    X(SPI1_IRQn, SPI1_IRQHandler) \
    X(SPI2_IRQn, SPI2_IRQHandler) \
    X(USART1_IRQn, USART1_IRQHandler) \
    X(USART2_IRQn, USART2_IRQHandler) \
    X(USART3_IRQn, USART3_IRQHandler) \
    X(UART4_IRQn, UART4_IRQHandler) \
    X(UART5_IRQn, UART5_IRQHandler) \
    X(LPUART1_IRQn, LPUART1_IRQHandler) \
    X(LPTIM1_IRQn, LPTIM1_IRQHandler) \
    X(LPTIM2_IRQn, LPTIM2_IRQHandler) \
    X(TIM15_IRQn, TIM15_IRQHandler) \
    X(TIM16_IRQn, TIM16_IRQHandler) \
    X(TIM17_IRQn, TIM17_IRQHandler) \
    X(COMP_IRQn, COMP_IRQHandler) \
    X(OTG_FS_IRQn, OTG_FS_IRQHandler) \
    X(CRS_IRQn, CRS_IRQHandler) \
    X(FMC_IRQn, FMC_IRQHandler) \
    X(OCTOSPI1_IRQn, OCTOSPI1_IRQHandler) \
    X(PWR_S3WU_IRQn, PWR_S3WU_IRQHandler) \
    X(SDMMC1_IRQn, SDMMC1_IRQHandler) \
    X(SDMMC2_IRQn, SDMMC2_IRQHandler) \
    X(GPDMA1_Channel8_IRQn, GPDMA1_Channel8_IRQHandler) \
    X(GPDMA1_Channel9_IRQn, GPDMA1_Channel9_IRQHandler) \
    X(GPDMA1_Channel10_IRQn, GPDMA1_Channel10_IRQHandler) \
    X(GPDMA1_Channel11_IRQn, GPDMA1_Channel11_IRQHandler) \
    X(GPDMA1_Channel12_IRQn, GPDMA1_Channel12_IRQHandler) \
    X(GPDMA1_Channel13_IRQn, GPDMA1_Channel13_IRQHandler) \
    X(GPDMA1_Channel14_IRQn, GPDMA1_Channel14_IRQHandler) \
    X(GPDMA1_Channel15_IRQn, GPDMA1_Channel15_IRQHandler) \
    X(I2C3_EV_IRQn, I2C3_EV_IRQHandler) \
    X(I2C3_ER_IRQn, I2C3_ER_IRQHandler) \
    X(SAI1_IRQn, SAI1_IRQHandler) \
    X(SAI2_IRQn, SAI2_IRQHandler) \
    X(TSC_IRQn, TSC_IRQHandler) \
    X(AES_IRQn, AES_IRQHandler) \
    X(RNG_IRQn, RNG_IRQHandler) \
    X(FPU_IRQn, FPU_IRQHandler) \
    X(HASH_IRQn, HASH_IRQHandler) \
    X(PKA_IRQn, PKA_IRQHandler) \
    X(LPTIM3_IRQn, LPTIM3_IRQHandler) \
    X(SPI3_IRQn, SPI3_IRQHandler) \
    X(I2C4_ER_IRQn, I2C4_ER_IRQHandler) \
    X(I2C4_EV_IRQn, I2C4_EV_IRQHandler) \
    X(MDF1_FLT0_IRQn, MDF1_FLT0_IRQHandler) \
    X(MDF1_FLT1_IRQn, MDF1_FLT1_IRQHandler) \
    X(MDF1_FLT2_IRQn, MDF1_FLT2_IRQHandler) \
    X(MDF1_FLT3_IRQn, MDF1_FLT3_IRQHandler) \
    X(UCPD1_IRQn, UCPD1_IRQHandler) \
    X(ICACHE_IRQn, ICACHE_IRQHandler) \
    X(OTFDEC1_IRQn, OTFDEC1_IRQHandler) \
    X(OTFDEC2_IRQn, OTFDEC2_IRQHandler) \
    X(LPTIM4_IRQn, LPTIM4_IRQHandler) \
    X(DCACHE1_IRQn, DCACHE1_IRQHandler) \
    X(ADF1_IRQn, ADF1_IRQHandler) \
    X(ADC4_IRQn, ADC4_IRQHandler) \
    X(LPDMA1_Channel0_IRQn, LPDMA1_Channel0_IRQHandler) \
    X(LPDMA1_Channel1_IRQn, LPDMA1_Channel1_IRQHandler) \
    X(LPDMA1_Channel2_IRQn, LPDMA1_Channel2_IRQHandler) \
    X(LPDMA1_Channel3_IRQn, LPDMA1_Channel3_IRQHandler) \
    X(DMA2D_IRQn, DMA2D_IRQHandler) \
    X(DCMI_PSSI_IRQn, DCMI_PSSI_IRQHandler) \
    X(OCTOSPI2_IRQn, OCTOSPI2_IRQHandler) \
    X(MDF1_FLT4_IRQn, MDF1_FLT4_IRQHandler) \
    X(MDF1_FLT5_IRQn, MDF1_FLT5_IRQHandler) \
    X(CORDIC_IRQn, CORDIC_IRQHandler) \
    X(FMAC_IRQn, FMAC_IRQHandler)

/* Exception numbers start at -15, so this offset makes table indexes start at 0. */
#define VECTOR_INDEX_OFFSET 15
#define VECTOR_COUNT (VECTOR_INDEX_OFFSET + MVHOST_IRQ_LINE_COUNT)

static atomic_uint_least32_t default_handler_runs;

/* Each default is a static function, whose address interposition cannot
   change, and the CMSIS name is a weak alias of it. Default visibility keeps
   the alias interposable even when libmvhost is built with hidden visibility. */
#define DEFINE_DEFAULT_HANDLER(irqn, handler)                                         \
    static void default_##handler(void) {                                             \
        atomic_fetch_add(&default_handler_runs, 1);                                   \
    }                                                                                 \
    void handler(void) __attribute__((weak, alias("default_" #handler),              \
                                      visibility("default")));

MVHOST_IRQ_VECTORS(DEFINE_DEFAULT_HANDLER)

#define LINKED_ENTRY(irqn, handler) [(irqn) + VECTOR_INDEX_OFFSET] = handler,
#define DEFAULT_ENTRY(irqn, handler) [(irqn) + VECTOR_INDEX_OFFSET] = default_##handler,
#define NAME_ENTRY(irqn, handler) [(irqn) + VECTOR_INDEX_OFFSET] = #handler,

/* The handlers as the static or dynamic linker bound them. */
static const mvhost_irq_handler_t linked_vectors[VECTOR_COUNT] = {
    MVHOST_IRQ_VECTORS(LINKED_ENTRY)
};

static const mvhost_irq_handler_t default_vectors[VECTOR_COUNT] = {
    MVHOST_IRQ_VECTORS(DEFAULT_ENTRY)
};

static const char *const handler_names[VECTOR_COUNT] = {
    MVHOST_IRQ_VECTORS(NAME_ENTRY)
};

/* App handlers found by searching the loaded objects; NULL until found. */
static _Atomic(mvhost_irq_handler_t) found_vectors[VECTOR_COUNT];

/* Most loaded objects examined in one search; a JVM loads about 50. */
#define MAX_LOADED_OBJECTS 512

struct object_names {
    const char *names[MAX_LOADED_OBJECTS];
    int count;
};

static int collect_object_name(struct dl_phdr_info *info, size_t size, void *context) {
    (void)size;
    struct object_names *objects = context;
    if (objects->count < MAX_LOADED_OBJECTS) {
        objects->names[objects->count] = info->dlpi_name;
        objects->count++;
    }
    return 0;
}

/* Returns the first definition of name, other than own_default, found in a
   loaded object (each object's own definition is preferred to those of its
   dependencies), or NULL. Object names are collected first and opened after,
   because dlopen inside the dl_iterate_phdr callback could deadlock. */
static mvhost_irq_handler_t find_loaded_handler(const char *name, mvhost_irq_handler_t own_default) {
    struct object_names objects = {.count = 0};
    dl_iterate_phdr(collect_object_name, &objects);

    for (int i = 0; i < objects.count; i++) {
        const char *object = objects.names[i];
        void *handle = dlopen(object[0] == '\0' ? NULL : object, RTLD_LAZY | RTLD_NOLOAD);
        if (handle == NULL) {
            continue;
        }
        void *symbol = dlsym(handle, name);
        dlclose(handle);

        /* POSIX guarantees dlsym results convert to function pointers; copying
           the bytes avoids ISO C's object-to-function pointer warning. */
        mvhost_irq_handler_t handler = NULL;
        memcpy(&handler, &symbol, sizeof handler);
        if (handler != NULL && handler != own_default) {
            return handler;
        }
    }
    return NULL;
}

MVHOST_SHIM_API mvhost_irq_handler_t mvhost_irq_vector(int32_t irqn) {
    if (irqn < -VECTOR_INDEX_OFFSET || irqn >= MVHOST_IRQ_LINE_COUNT) {
        return NULL;
    }
    int index = irqn + VECTOR_INDEX_OFFSET;
    mvhost_irq_handler_t linked = linked_vectors[index];
    if (linked == NULL || linked != default_vectors[index]) {
        return linked;
    }

    mvhost_irq_handler_t found = atomic_load(&found_vectors[index]);
    if (found != NULL) {
        return found;
    }

    /* Not cached when absent, so a firmware library loaded later is still
       found. The search costs a few microseconds per loaded object. */
    found = find_loaded_handler(handler_names[index], default_vectors[index]);
    if (found != NULL) {
        atomic_store(&found_vectors[index], found);
        return found;
    }
    return linked;
}

MVHOST_SHIM_API uint32_t mvhost_irq_default_handler_runs(void) {
    return (uint32_t)atomic_load(&default_handler_runs);
}

MVHOST_SHIM_API void mvhost_irq_reset_vectors(void) {
    atomic_store(&default_handler_runs, 0);
    for (int i = 0; i < VECTOR_COUNT; i++) {
        atomic_store(&found_vectors[i], NULL);
    }
}
