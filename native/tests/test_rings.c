/*
 * Notifications are written into the registered ring at the kernel's slot, then the IRQ is
 * pended and the handler runs at syscall exit in synchronous mode. Overruns are counted. Frames
 * for unknown rings or slots past the end are rejected. A disabled IRQ stays pending, with the
 * record in the ring.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "fake_kernel.h"
#include "host.h"
#include "mv_syscalls.h"
#include "mvhost.h"
#include "stm32u5xx_hal.h"

#define CENTRE 0x5A17C0DEull
#define SLOTS 8

static struct MvNotification ring[SLOTS] __attribute__((aligned(8)));
static volatile unsigned handler_runs;

void TIM8_BRK_IRQHandler(void)
{
    handler_runs++;
}

static void setup_ring(void)
{
    struct MvNotificationSetup setup = {.irq = TIM8_BRK_IRQn, .buffer = ring, .buffer_size = sizeof ring};
    MvNotificationHandle centre = NULL;
    memset(ring, 0xFF, sizeof ring);
    fake_kernel.u64_output = CENTRE;

    CHECK_EQ(mvSetupNotifications(&setup, &centre), MV_STATUS_OKAY);
    CHECK_EQ((uintptr_t)centre, CENTRE);
}

static struct mvhost_stats stats(void)
{
    struct mvhost_stats value;
    mvhost_get_stats(&value);
    return value;
}

static void notification_is_written_and_handled(void)
{
    uint64_t now;
    NVIC_ClearPendingIRQ(TIM8_BRK_IRQn);
    NVIC_EnableIRQ(TIM8_BRK_IRQn);
    fake_kernel_queue_notification(CENTRE, (uintptr_t)ring, 0, 2500000, MV_EVENTTYPE_CHANNELDATAREADABLE, 2,
                                   TIM8_BRK_IRQn);

    CHECK_EQ(mvGetMicroseconds(&now), MV_STATUS_OKAY);
    CHECK_EQ(ring[0].microseconds, 2500000);
    CHECK_EQ(ring[0].event_type, MV_EVENTTYPE_CHANNELDATAREADABLE);
    CHECK_EQ(ring[0].tag, 2);
    CHECK_EQ(ring[1].event_type, 0xFFFFFFFFu);
    CHECK_EQ(handler_runs, 1);
    CHECK_EQ(stats().notifications_written, 1);
}

static void unzeroed_slot_counts_overrun(void)
{
    uint64_t now;
    /* Slot 0 still contains the record above: the app never zeroed it. */
    fake_kernel_queue_notification(CENTRE, (uintptr_t)ring, 0, 2600000, MV_EVENTTYPE_NETWORKSTATUSCHANGED, 1,
                                   TIM8_BRK_IRQn);
    CHECK_EQ(mvGetMicroseconds(&now), MV_STATUS_OKAY);
    CHECK_EQ(stats().ring_overruns, 1);

    /* Slot 1 starts as 0xFF but the harness never wrote it, so it is no overrun. */
    fake_kernel_queue_notification(CENTRE, (uintptr_t)ring, 1, 2700000, MV_EVENTTYPE_NETWORKSTATUSCHANGED, 1,
                                   TIM8_BRK_IRQn);
    CHECK_EQ(mvGetMicroseconds(&now), MV_STATUS_OKAY);
    CHECK_EQ(stats().ring_overruns, 1);

    /* The app handles slot 1 and zeroes it; writing it again is no overrun either. */
    ring[1].event_type = MV_EVENTTYPE_NOEVENT;
    fake_kernel_queue_notification(CENTRE, (uintptr_t)ring, 1, 2800000, MV_EVENTTYPE_CHANNELDATAREADABLE, 2,
                                   TIM8_BRK_IRQn);
    CHECK_EQ(mvGetMicroseconds(&now), MV_STATUS_OKAY);
    CHECK_EQ(stats().ring_overruns, 1);
    CHECK_EQ(ring[1].microseconds, 2800000);
}

static void bad_targets_are_rejected(void)
{
    uint64_t now;
    struct mvhost_stats before = stats();
    struct MvNotification other[2];
    memset(other, 0, sizeof other);

    fake_kernel_queue_notification(CENTRE, (uintptr_t)ring, SLOTS, 1, MV_EVENTTYPE_CHANNELDATAREADABLE, 2,
                                   TIM8_BRK_IRQn);
    fake_kernel_queue_notification(CENTRE, (uintptr_t)other, 0, 1, MV_EVENTTYPE_CHANNELDATAREADABLE, 2,
                                   TIM8_BRK_IRQn);
    fake_kernel_queue_notification(CENTRE + 1, (uintptr_t)ring, 0, 1, MV_EVENTTYPE_CHANNELDATAREADABLE, 2,
                                   TIM8_BRK_IRQn);
    CHECK_EQ(mvGetMicroseconds(&now), MV_STATUS_OKAY);

    CHECK_EQ(stats().notifications_rejected, before.notifications_rejected + 3);
    CHECK_EQ(stats().notifications_written, before.notifications_written);
    CHECK_EQ(other[0].event_type, 0);
}

static void disabled_irq_stays_pending(void)
{
    unsigned runs = handler_runs;
    uint8_t frame[128];
    NVIC_DisableIRQ(TIM8_BRK_IRQn);
    ring[2].event_type = MV_EVENTTYPE_NOEVENT;
    uint32_t length = fake_kernel_encode_notification(frame, CENTRE, (uintptr_t)ring, 2, 3000000,
                                                      MV_EVENTTYPE_CHANNELNOTCONNECTED, 2, TIM8_BRK_IRQn);

    CHECK_EQ(mvhost_deliver_frames(frame, length), 1);
    CHECK_EQ(mvhost_poll(), 0);
    CHECK_EQ(ring[2].event_type, MV_EVENTTYPE_CHANNELNOTCONNECTED);
    CHECK_EQ(handler_runs, runs);
    CHECK_EQ(NVIC_GetPendingIRQ(TIM8_BRK_IRQn), 1);

    NVIC_EnableIRQ(TIM8_BRK_IRQn);
    CHECK_EQ(mvhost_poll(), 0);
    CHECK_EQ(handler_runs, runs + 1);
}

static void malformed_delivery_is_rejected(void)
{
    const uint8_t junk[20] = {'M', 'V', 1, 2};
    CHECK_EQ(mvhost_deliver_frames(junk, sizeof junk), MVHOST_EMALFORMED);
    CHECK_EQ(mvhost_deliver_frames(NULL, 4), MVHOST_EINVAL);
}

static void local_records_shift_kernel_slots(void)
{
    uint8_t frame[128];
    memset(ring, 0, sizeof ring);
    uint32_t length = fake_kernel_encode_notification(frame, CENTRE, (uintptr_t)ring, 6, 4000010,
                                                      MV_EVENTTYPE_NETWORKSTATUSCHANGED, 5, TIM8_BRK_IRQn);
    CHECK_EQ(mvhost_deliver_frames(frame, length), 1);

    /* A lost link: libmvhost writes a record the kernel never wrote, after the kernel's slot 6. */
    mvhost_lock();
    CHECK_EQ(mvhost_rings_write_local(CENTRE, 4000020, MV_EVENTTYPE_CHANNELNOTCONNECTED, 2), 1);
    mvhost_unlock();
    CHECK_EQ(ring[7].event_type, MV_EVENTTYPE_CHANNELNOTCONNECTED);

    /* The kernel's next record, its slot 7, goes after the local one; the one after wraps around. */
    length = fake_kernel_encode_notification(frame, CENTRE, (uintptr_t)ring, 7, 4000030,
                                             MV_EVENTTYPE_CHANNELDATAREADABLE, 2, TIM8_BRK_IRQn);
    CHECK_EQ(mvhost_deliver_frames(frame, length), 1);
    CHECK_EQ(ring[7].event_type, MV_EVENTTYPE_CHANNELNOTCONNECTED);
    CHECK_EQ(ring[0].microseconds, 4000030);
    CHECK_EQ(ring[0].event_type, MV_EVENTTYPE_CHANNELDATAREADABLE);
}

static void kernel_record_older_than_local_one_follows_it(void)
{
    uint8_t frame[128];
    memset(ring, 0, sizeof ring);
    /* libmvhost wrote a loss record at 5 s; the kernel's record of 4.9 s, written before the loss, comes after. */
    mvhost_lock();
    CHECK_EQ(mvhost_rings_write_local(CENTRE, 5000000, MV_EVENTTYPE_CHANNELNOTCONNECTED, 2), 1);
    mvhost_unlock();
    CHECK_EQ(ring[1].event_type, MV_EVENTTYPE_CHANNELNOTCONNECTED);
    uint32_t length = fake_kernel_encode_notification(frame, CENTRE, (uintptr_t)ring, 0, 4900000,
                                                      MV_EVENTTYPE_CHANNELDATAREADABLE, 2, TIM8_BRK_IRQn);

    /* It fills the slot its own number gives after the shift, with the loss record's time. */
    CHECK_EQ(mvhost_deliver_frames(frame, length), 1);
    CHECK_EQ(ring[2].event_type, MV_EVENTTYPE_CHANNELDATAREADABLE);
    CHECK_EQ(ring[2].microseconds, 5000000);

    /* The kernel's next record, its slot 1, lands right after it: no slot stays empty. */
    length = fake_kernel_encode_notification(frame, CENTRE, (uintptr_t)ring, 1, 5100000,
                                             MV_EVENTTYPE_NETWORKSTATUSCHANGED, 5, TIM8_BRK_IRQn);
    CHECK_EQ(mvhost_deliver_frames(frame, length), 1);
    CHECK_EQ(ring[3].event_type, MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    CHECK_EQ(ring[3].microseconds, 5100000);
}

static void local_record_never_precedes_kernel_one(void)
{
    uint8_t frame[128];
    memset(ring, 0, sizeof ring);
    uint32_t length = fake_kernel_encode_notification(frame, CENTRE, (uintptr_t)ring, 1, 6000000,
                                                      MV_EVENTTYPE_CHANNELDATAREADABLE, 2, TIM8_BRK_IRQn);
    CHECK_EQ(mvhost_deliver_frames(frame, length), 1);
    CHECK_EQ(ring[3].microseconds, 6000000);

    /* libmvhost's estimate of the device time trails the kernel's record by 10 ms when the link breaks. */
    mvhost_lock();
    CHECK_EQ(mvhost_rings_write_local(CENTRE, 5990000, MV_EVENTTYPE_CHANNELNOTCONNECTED, 2), 1);
    mvhost_unlock();

    CHECK_EQ(ring[4].event_type, MV_EVENTTYPE_CHANNELNOTCONNECTED);
    CHECK_EQ(ring[4].microseconds, 6000000);
}

static void closed_centre_stops_writes(void)
{
    MvNotificationHandle centre = (MvNotificationHandle)(uintptr_t)CENTRE;
    uint8_t frame[128];
    fake_kernel.u64_output = 0;
    CHECK_EQ(mvCloseNotifications(&centre), MV_STATUS_OKAY);
    CHECK(centre == NULL);

    struct mvhost_stats before;
    mvhost_get_stats(&before);

    /* A record the kernel wrote before it learned of the close: dropped, and no fault reported. */
    uint32_t length = fake_kernel_encode_notification(frame, CENTRE, (uintptr_t)ring, 3, 1,
                                                      MV_EVENTTYPE_CHANNELDATAREADABLE, 2, TIM8_BRK_IRQn);
    CHECK_EQ(mvhost_deliver_frames(frame, length), 0);
    CHECK_EQ(stats().notifications_rejected, before.notifications_rejected);
}

int main(void)
{
    mvhost_reset();
    fake_kernel_install();
    setup_ring();
    notification_is_written_and_handled();
    unzeroed_slot_counts_overrun();
    bad_targets_are_rejected();
    disabled_irq_stays_pending();
    malformed_delivery_is_rejected();
    local_records_shift_kernel_slots();
    kernel_record_older_than_local_one_follows_it();
    local_record_never_precedes_kernel_one();
    closed_centre_stops_writes();
    mvhost_clear_transport();
    mvhost_reset();
    return check_failures == 0 ? 0 : 1;
}
