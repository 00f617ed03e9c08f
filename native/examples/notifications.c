#include "notifications.h"

#include <stdatomic.h>
#include <string.h>

/* Microvisor writes 16-byte records here; demos align the ring to 8. */
static struct MvNotification ring[NOTIFICATION_RING_RECORDS] __attribute__((aligned(8)));

/* Next record the handler reads. Only the handler touches it after setup. */
static uint32_t read_index;

/* Atomic because the handler may run on another thread under mvsim's
   interrupt thread mode; on the device volatile would do. */
static atomic_bool channel_readable;
static atomic_bool channel_disconnected;

void notifications_clear(void) {
    memset(ring, 0, sizeof ring);
    read_index = 0;
    atomic_store(&channel_readable, false);
    atomic_store(&channel_disconnected, false);
}

struct MvNotification *notifications_ring(void) {
    return ring;
}

uint32_t notifications_ring_size_bytes(void) {
    return (uint32_t)sizeof ring;
}

bool notifications_channel_readable(void) {
    return atomic_load(&channel_readable);
}

bool notifications_channel_disconnected(void) {
    return atomic_load(&channel_disconnected);
}

static void handle_record(const struct MvNotification *record) {
    if (record->tag != TAG_CONFIG_CHANNEL) {
        /* Network status changes need no action: the fetch polls
           mvGetNetworkStatus, because no notification comes for a
           connection that already exists. */
        return;
    }

    if (record->event_type == MV_EVENTTYPE_CHANNELDATAREADABLE) {
        atomic_store(&channel_readable, true);
    } else if (record->event_type == MV_EVENTTYPE_CHANNELNOTCONNECTED) {
        atomic_store(&channel_disconnected, true);
    }
}

/* Reads every record written since the last run. The NVIC pending bit is a
   single bit, so two records can arrive for one interrupt. Reading only one
   per interrupt, as some demos do, would leave the second unread. Each
   handled slot is set back to NOEVENT so that it reads as empty. */
void TIM8_BRK_IRQHandler(void);

void TIM8_BRK_IRQHandler(void) {
    for (uint32_t handled = 0; handled < NOTIFICATION_RING_RECORDS; handled++) {
        struct MvNotification *record = &ring[read_index];
        if (record->event_type == MV_EVENTTYPE_NOEVENT) {
            break;
        }

        handle_record(record);
        record->event_type = MV_EVENTTYPE_NOEVENT;
        read_index = (read_index + 1) % NOTIFICATION_RING_RECORDS;
    }
}
