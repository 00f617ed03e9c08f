// Compiles mv_syscalls.h and the STM32U5 headers as C++ and checks that the
// enums keep their 4-byte size and 0xffffffff markers there too.
#include <cstdio>

#include "mv_syscalls.h"
#include "stm32u5xx_hal.h"

static_assert(sizeof(enum MvStatus) == 4, "MvStatus must be 4 bytes");
static_assert(MV_STATUS__MAX == 0xffffffffu, "MV_STATUS__MAX must be 0xffffffff");
static_assert(sizeof(struct MvNotification) == 16, "MvNotification must be 16 bytes");
static_assert(TIM8_BRK_IRQn == 51, "TIM8_BRK_IRQn must be 51");

int main() {
    std::puts("mv_syscalls.h and stm32u5xx_hal.h compile as C++");
    return 0;
}
