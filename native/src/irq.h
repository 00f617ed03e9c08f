/*
 * Internal interface between mvsim's interrupt model (nvic.c, hal_tick.c) and
 * the rest of libmvhost. Not installed and not for firmware.
 *
 * The model keeps, per external interrupt line, an enabled bit, a pending bit,
 * an active bit and a priority, as the NVIC does. Handlers run in one of two
 * modes:
 * - synchronous (the default): pending enabled handlers run on the calling
 *   thread when libmvhost calls mvhost_irq_service (at every syscall exit and
 *   from its poll call), inside HAL_Delay, and when the app enables, pends or
 *   unmasks an interrupt;
 * - interrupt thread: after mvhost_irq_start_thread, a dedicated thread waits
 *   for pends and runs the handlers. HAL_Delay and the NVIC calls that can make
 *   a handler runnable wait until the thread has run it, as the app would not
 *   go on before a pending interrupt on hardware.
 * In both modes at most one handler runs at a time, and a handler that makes a
 * syscall does not start another handler.
 */
#ifndef MVHOST_IRQ_H
#define MVHOST_IRQ_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Exports a shim function from libmvhost.so even when the library is built
   with -fvisibility=hidden, because firmware and tests call it directly. */
#define MVHOST_SHIM_API __attribute__((visibility("default")))

/* Number of external interrupt lines of the STM32U585 (IRQn 0 to 124). */
#define MVHOST_IRQ_LINE_COUNT 125

/* ---- Implemented by nvic.c ---- */

/* Sets the pending bit of line irqn, as Microvisor does after writing a
   notification. Safe to call from any thread and from a handler. It runs no
   handler itself: the next mvhost_irq_service call does, or the interrupt
   thread. Numbers outside 0..MVHOST_IRQ_LINE_COUNT-1 are ignored. */
void mvhost_irq_pend(int32_t irqn);

/* Runs the handlers of all pending, enabled lines on the calling thread, most
   urgent priority first (the lower IRQ number first among equals), until none
   is left, then returns. Lines pended while a handler runs are included.
   Returns at once without running anything when PRIMASK is set, or when a
   handler is already running on any thread, so handlers never nest. */
void mvhost_irq_service(void);

/* Starts the interrupt thread. Returns 0 on success, 0 if it already runs,
   or the pthread_create error number. */
int mvhost_irq_start_thread(void);

/* Stops the interrupt thread and waits for it to finish the handler it is
   running, if any. Does nothing when no thread runs. Must not be called from a
   handler. */
void mvhost_irq_stop_thread(void);

/* Stops the interrupt thread and clears every enabled, pending and active
   bit, the priorities, the priority grouping and PRIMASK. Tests call it
   between cases, never while a handler runs. */
void mvhost_irq_reset(void);

/* ---- Shim internals, shared by nvic.c, irq_vectors.c and hal_tick.c ---- */

typedef void (*mvhost_irq_handler_t)(void);

/* Runs pending enabled handlers now in synchronous mode. In thread mode it
   wakes the interrupt thread and waits until no enabled line is pending and no
   handler runs, unless the caller is a handler or PRIMASK is set. */
void mvhost_irq_deliver(void);

/* Returns the handler for irqn (-15 to MVHOST_IRQ_LINE_COUNT-1): the app's
   own definition under the CMSIS name, or the weak default. Returns NULL for
   numbers without a vector. */
mvhost_irq_handler_t mvhost_irq_vector(int32_t irqn);

/* Returns how many times a default (weak) handler has run since the last
   mvhost_irq_reset, which shows that an interrupt fired with no app handler. */
uint32_t mvhost_irq_default_handler_runs(void);

/* Sets the default handler run count to 0 and clears the cache of app handlers
   found in libraries loaded after libmvhost, which may since have been unloaded. */
void mvhost_irq_reset_vectors(void);

/* ---- Implemented by libmvhost (the kernel's clock); nvic.c and hal_tick.c
   call them. Both return 0 on success and non-zero on failure. ---- */

/* Reads the kernel's microsecond clock, the one mvGetMicroseconds reads. */
int mvhost_clock_now_us(uint64_t *now_us);

/* Lets duration_us pass on the kernel's clock: advances virtual time, or
   sleeps on the wall clock. Notifications that fall due are delivered (written
   into rings, lines pended) before it returns. */
int mvhost_clock_sleep_us(uint64_t duration_us);

/* Lets at most max_us pass, up to the end of the first step_us step in which
   a notification was delivered (see mvhost.h). */
int mvhost_clock_wait_us(uint64_t max_us, uint64_t step_us);

#ifdef __cplusplus
}
#endif

#endif /* MVHOST_IRQ_H */
