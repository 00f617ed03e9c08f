/*
 * Concurrent syscalls from several threads while another thread pushes notifications: every
 * call gets its own response (sequence numbers never mix), and all counters add up.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "fake_kernel.h"
#include "mv_syscalls.h"
#include "mvhost.h"
#include "stm32u5xx_hal.h"

#define THREADS 4
#define CALLS_PER_THREAD 2000
#define DELIVERIES 2000
#define CENTRE 0x1234ull

static struct MvNotification ring[16] __attribute__((aligned(8)));
static unsigned failures[THREADS];

static void *call_repeatedly(void *argument)
{
    unsigned index = (unsigned)(uintptr_t)argument;
    for (unsigned i = 0; i < CALLS_PER_THREAD; i++) {
        uint64_t value = 0;
        if (mvGetMicroseconds(&value) != MV_STATUS_OKAY || value != CENTRE) {
            failures[index]++;
        }
    }
    return NULL;
}

static void *deliver_repeatedly(void *argument)
{
    (void)argument;
    uint8_t frame[128];
    for (unsigned i = 0; i < DELIVERIES; i++) {
        uint32_t length = fake_kernel_encode_notification(frame, CENTRE, (uintptr_t)ring, i % 16, i,
                                                          MV_EVENTTYPE_CHANNELDATAREADABLE, 1, TIM1_BRK_IRQn);
        mvhost_deliver_frames(frame, length);
    }
    return NULL;
}

int main(void)
{
    struct MvNotificationSetup setup = {.irq = TIM1_BRK_IRQn, .buffer = ring, .buffer_size = sizeof ring};
    MvNotificationHandle centre;
    pthread_t callers[THREADS];
    pthread_t deliverer;
    struct mvhost_stats stats;

    mvhost_reset();
    fake_kernel_install();
    fake_kernel.u64_output = CENTRE;
    CHECK_EQ(mvSetupNotifications(&setup, &centre), MV_STATUS_OKAY);

    for (unsigned i = 0; i < THREADS; i++) {
        pthread_create(&callers[i], NULL, call_repeatedly, (void *)(uintptr_t)i);
    }
    pthread_create(&deliverer, NULL, deliver_repeatedly, NULL);
    for (unsigned i = 0; i < THREADS; i++) {
        pthread_join(callers[i], NULL);
        CHECK_EQ(failures[i], 0);
    }
    pthread_join(deliverer, NULL);

    mvhost_get_stats(&stats);
    CHECK_EQ(stats.syscalls, 1 + THREADS * CALLS_PER_THREAD);
    CHECK_EQ(stats.notifications_written, DELIVERIES);
    CHECK_EQ(stats.transport_errors, 0);
    CHECK_EQ(fake_kernel.schema_mismatches, 0);
    CHECK_EQ(fake_kernel.requests, 1 + THREADS * CALLS_PER_THREAD);

    mvhost_clear_transport();
    mvhost_reset();
    return check_failures == 0 ? 0 : 1;
}
