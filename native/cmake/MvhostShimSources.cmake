# Sources and headers of the STM32U5 shims (interrupt model, vector table,
# HAL tick) that libmvhost compiles into both of its libraries. Include this
# file from the top-level CMakeLists and add ${MVHOST_SHIM_SOURCES} to the
# mvhost and mvhost_static targets.

set(MVHOST_SHIM_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/../src/nvic.c
    ${CMAKE_CURRENT_LIST_DIR}/../src/irq_vectors.c
    ${CMAKE_CURRENT_LIST_DIR}/../src/hal_tick.c
)

# Headers firmware includes; install them next to mv_syscalls.h.
set(MVHOST_SHIM_PUBLIC_HEADERS
    ${CMAKE_CURRENT_LIST_DIR}/../include/stm32u5xx_hal.h
    ${CMAKE_CURRENT_LIST_DIR}/../include/stm32u5xx.h
    ${CMAKE_CURRENT_LIST_DIR}/../include/stm32u585xx.h
)
