/*
 * STM32U5 family header for host builds: selects the STM32U585, the part
 * Microvisor runs on.
 */
#ifndef STM32U5XX_H
#define STM32U5XX_H

#ifndef STM32U585xx
#define STM32U585xx
#endif

#include "stm32u585xx.h"

#endif /* STM32U5XX_H */
