/*
 * An app handler in a library loaded after the shims runs instead of the weak
 * default, although the shims' references were bound before it was loaded.
 * After mvhost_irq_reset and dlclose the default runs again.
 */
#include <dlfcn.h>
#include <string.h>

#include "shim_check.h"
#include "irq.h"
#include "stm32u5xx_hal.h"

int check_failures;

typedef int (*run_counter)(void);

static void reset_all(void) {
    mvhost_irq_reset();
}

static void late_library_handler_runs(void) {
    void *library = dlopen(LATE_HANDLER_LIB_PATH, RTLD_NOW | RTLD_LOCAL);
    CHECK(library != NULL);
    if (library == NULL) {
        fprintf(stderr, "dlopen failed: %s\n", dlerror());
        return;
    }
    run_counter late_handler_runs = NULL;
    void *symbol = dlsym(library, "late_handler_runs");
    memcpy(&late_handler_runs, &symbol, sizeof late_handler_runs);
    CHECK(late_handler_runs != NULL);

    NVIC_EnableIRQ(TIM4_IRQn);
    NVIC_SetPendingIRQ(TIM4_IRQn);
    NVIC_SetPendingIRQ(TIM4_IRQn);

    CHECK_EQ(late_handler_runs(), 2);
    CHECK_EQ(mvhost_irq_default_handler_runs(), 0);

    mvhost_irq_reset();
    dlclose(library);
    NVIC_EnableIRQ(TIM4_IRQn);
    NVIC_SetPendingIRQ(TIM4_IRQn);

    CHECK_EQ(mvhost_irq_default_handler_runs(), 1);
}

int main(void) {
    RUN_TEST(reset_all, late_library_handler_runs);

    mvhost_irq_reset();
    return check_failures == 0 ? 0 : 1;
}
