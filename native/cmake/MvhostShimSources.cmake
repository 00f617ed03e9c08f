# Sources of the STM32U5 shims (interrupt model, vector table, HAL tick), for
# the CTest fragment tests/shims.cmake, which builds them without libmvhost.
# The top-level CMakeLists lists the same files in MVHOST_SOURCES. Their
# vector search uses dlopen, so link ${CMAKE_DL_LIBS} with them.

set(MVHOST_SHIM_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/../src/nvic.c
    ${CMAKE_CURRENT_LIST_DIR}/../src/irq_vectors.c
    ${CMAKE_CURRENT_LIST_DIR}/../src/hal_tick.c
)
