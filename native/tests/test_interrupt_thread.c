/*
 * Interrupt-thread mode: a notification pushed from another thread is written into the ring and
 * its handler runs on the interrupt thread, not on the thread that made the syscalls.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "fake_kernel.h"
#include "mv_syscalls.h"
#include "mvhost.h"
#include "stm32u5xx_hal.h"

#define CENTRE 0x4242ull

static struct MvNotification ring[4] __attribute__((aligned(8)));
static volatile unsigned handler_runs;
static pthread_t handler_thread;

void TIM1_BRK_IRQHandler(void)
{
    handler_thread = pthread_self();
    handler_runs++;
}

int main(void)
{
    struct MvNotificationSetup setup = {.irq = TIM1_BRK_IRQn, .buffer = ring, .buffer_size = sizeof ring};
    MvNotificationHandle centre = NULL;
    uint8_t frame[128];

    mvhost_reset();
    fake_kernel_install();
    fake_kernel.u64_output = CENTRE;
    CHECK_EQ(mvSetupNotifications(&setup, &centre), MV_STATUS_OKAY);
    NVIC_EnableIRQ(TIM1_BRK_IRQn);

    CHECK_EQ(mvhost_set_interrupt_mode(MVHOST_INTERRUPTS_THREAD), 0);
    CHECK_EQ(mvhost_get_interrupt_mode(), MVHOST_INTERRUPTS_THREAD);
    uint32_t length = fake_kernel_encode_notification(frame, CENTRE, (uintptr_t)ring, 0, 10,
                                                      MV_EVENTTYPE_CHANNELDATAREADABLE, 3, TIM1_BRK_IRQn);
    CHECK_EQ(mvhost_deliver_frames(frame, length), 1);

    /* HAL_Delay returns only after the interrupt thread has run the handlers it made runnable. */
    HAL_Delay(1);
    CHECK_EQ(handler_runs, 1);
    CHECK(!pthread_equal(handler_thread, pthread_self()));
    CHECK_EQ(ring[0].tag, 3);

    CHECK_EQ(mvhost_set_interrupt_mode(MVHOST_INTERRUPTS_SYNCHRONOUS), 0);
    CHECK_EQ(mvhost_set_interrupt_mode((enum mvhost_interrupt_mode)7), MVHOST_EINVAL);
    mvhost_clear_transport();
    mvhost_reset();
    return check_failures == 0 ? 0 : 1;
}
