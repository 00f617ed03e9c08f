/*
 * Set-up shared by the CTest programs of calls that libmvhost replies to itself with handles the
 * kernel reserved. It contains the RESERVED_HANDLES and OPEN_BUDGET states the fake kernel sends, a
 * restart of libmvhost onto the fake, and the two app calls that create a notification centre and a
 * network request.
 */
#ifndef MVHOST_LOCAL_HANDLE_FIXTURE_H
#define MVHOST_LOCAL_HANDLE_FIXTURE_H

#include <stdint.h>

#include "mv_syscalls.h"

/* The handle the fake kernel writes for any u64 output after a restart, which marks a call that reached it. */
#define FAKE_HANDLE 0x77u

/*
 * Encodes a RESERVED_HANDLES state that offers `count` handles and lists `holder_count` buffer
 * holders, and queues it in front of the next response.
 */
void fake_kernel_queue_reservation(uint32_t conditions, uint32_t status, const uint64_t *handles, uint32_t count,
                                   const uint64_t *holders, uint32_t holder_count);

/*
 * Encodes an OPEN_BUDGET state that lists `open_count` open times in microseconds and queues it in
 * front of the next response.
 */
void fake_kernel_queue_open_budget(uint32_t free_channels, uint32_t max_opens, uint64_t window_us,
                                   const uint64_t *opens, uint32_t open_count);

/* Encodes a NETWORK state for `handle` with `status` and queues it in front of the next response. */
void fake_kernel_queue_network_state(uint64_t handle, uint32_t status);

/*
 * Flushes libmvhost, installs a fresh fake kernel and resets libmvhost onto it. The fake then
 * runs a clock of `clock_kind` at `now_us`. For every call that reaches it, it writes FAKE_HANDLE
 * to each u64 output and DELIBERATELYOFFLINE to each u32 output.
 */
void fake_kernel_restart(uint32_t clock_kind, uint64_t now_us);

/* Calls mvSetupNotifications for a ring of `size` bytes at `buffer` on `irq`. */
enum MvStatus app_setup_notifications(uint32_t irq, struct MvNotification *buffer, uint32_t size,
                                      MvNotificationHandle *out);

/* Calls mvRequestNetwork with structure `version`, notifications to `centre` and tag 7. */
enum MvStatus app_request_network(uint32_t version, MvNotificationHandle centre, MvNetworkHandle *out);

#endif
