/*
 * The IRQ model functions libmvhost calls. They are defined by the NVIC model (nvic.c); the
 * declarations are repeated here so the marshalling layer and its tests build against any
 * implementation, including the recording fake in tests/support.
 */
#ifndef MVHOST_IRQ_LINK_H
#define MVHOST_IRQ_LINK_H

#include <stdint.h>

/* Sets the pending bit of `irqn`; a disabled IRQ stays pending, as on hardware. */
void mvhost_irq_pend(int32_t irqn);
/* Runs the handlers of pending, enabled IRQs in the calling thread. */
void mvhost_irq_service(void);
int mvhost_irq_start_thread(void);
void mvhost_irq_stop_thread(void);
void mvhost_irq_reset(void);

#endif
