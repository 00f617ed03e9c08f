/*
 * The example's notification ring and its interrupt handler. The handler only
 * records events in flags, and the syscalls happen in thread context, as
 * Microvisor recommends.
 */
#ifndef EXAMPLE_NOTIFICATIONS_H
#define EXAMPLE_NOTIFICATIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "mv_syscalls.h"
#include "stm32u5xx_hal.h"

/* The IRQ Microvisor pends for new records; TIM8_BRK_IRQHandler serves it. */
#define NOTIFICATION_IRQ TIM8_BRK_IRQn

/* Tags that tell the sources apart in the shared ring. */
#define TAG_NETWORK 1U
#define TAG_CONFIG_CHANNEL 2U

/* Records in the ring; Microvisor demos use 8 (128 bytes). */
#define NOTIFICATION_RING_RECORDS 8U

/* Zeroes the ring, the read position and every flag. Call before
   mvSetupNotifications, with the IRQ disabled. */
void notifications_clear(void);

struct MvNotification *notifications_ring(void);
uint32_t notifications_ring_size_bytes(void);

bool notifications_channel_readable(void);
bool notifications_channel_disconnected(void);

#endif /* EXAMPLE_NOTIFICATIONS_H */
