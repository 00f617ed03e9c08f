/*
 * A scripted stand-in for the Microvisor kernel, covering only the syscalls
 * the config fetch example makes. It lets CTest run the example without the
 * Java kernel: a test stores items, sets when the network connects and what
 * happens to the request, and then checks what the example did.
 *
 * Every call ends by running pending handlers, as libmvhost does at syscall
 * exit. Notifications are written into the app's ring at the scheduled time
 * on the virtual clock of fake_kernel_clock.c.
 */
#ifndef FAKE_CONFIG_KERNEL_H
#define FAKE_CONFIG_KERNEL_H

#include <stdint.h>

#include "mv_syscalls.h"

/* What happens to a config fetch request once it is sent. */
enum fake_response_plan {
    /* CHANNELDATAREADABLE after the response delay. */
    FAKE_RESPONSE_NORMAL,
    /* CHANNELDATAREADABLE, with the whole fetch RESPONSETOOLARGE. */
    FAKE_RESPONSE_TOO_LARGE,
    /* CHANNELNOTCONNECTED after the response delay, closure reason
       NETWORKDISCONNECTED. */
    FAKE_RESPONSE_NETWORK_DROP,
    /* Nothing arrives. */
    FAKE_RESPONSE_NEVER
};

/* Forgets items and handles and sets the defaults: connected at once,
   normal responses after 20 ms. */
void fake_kernel_reset(void);

/* Stores a value; a request for another (scope, store, key) gets KEYNOTFOUND.
   At most 8 items, and the strings must outlive the test. */
void fake_kernel_store(enum MvConfigKeyFetchScope scope, enum MvConfigKeyFetchStore store,
                       const char *key, const char *value);

/* The network reports CONNECTING until the virtual clock reaches at_us;
   UINT64_MAX keeps it connecting. */
void fake_kernel_connect_at(uint64_t at_us);

void fake_kernel_plan_response(enum fake_response_plan plan, uint64_t delay_us);

/* Objects still open: notification centres, network requests, channels. */
uint32_t fake_kernel_open_objects(void);

/* Number of mvGetNetworkStatus calls since the reset. */
uint32_t fake_kernel_status_polls(void);

/* Number of syscalls since the reset. */
uint32_t fake_kernel_syscalls(void);

/* Keys of the last request, in order, and their count. */
uint32_t fake_kernel_requested_key_count(void);
const struct MvConfigKeyToFetch *fake_kernel_requested_key(uint32_t index);

#endif /* FAKE_CONFIG_KERNEL_H */
