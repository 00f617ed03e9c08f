/*
 * The state libmvhost keeps about the kernel's objects, so that it can answer some calls without an
 * exchange (docs/wire-protocol.md, "Local answers and posted calls").
 *
 * libmvhost tracks the handles the kernel issued to this app and has not seen closed, and the
 * buffers each one holds. It also keeps the kernel's last RESERVED_HANDLES and OPEN_BUDGET states, the
 * channel each config fetch runs on, the CONFIG_RESPONSE state the kernel sends with a channel's
 * CHANNELDATAREADABLE notification, and the NETWORK state of each network request. A lookup returns 1 only when the kernel's own rules
 * give a known answer from that record; otherwise the call goes to the kernel. Every function here
 * is called with the transport lock held.
 */
#ifndef MVHOST_LOCAL_ANSWERS_H
#define MVHOST_LOCAL_ANSWERS_H

#include <stdint.h>

/* Forgets every tracked handle and wipes cached responses, as after a reset or a new kernel. */
void mvhost_local_forget_all(void);

/* The app buffers of a channel, by address and size in bytes. */
struct mvhost_channel_buffers {
    uint64_t receive_address;
    uint32_t receive_size;
    uint64_t send_address;
    uint32_t send_size;
};

/* Records a handle the kernel issued with OKAY, with the buffers the kernel then uses. */
void mvhost_local_centre_opened(uint64_t centre, uint64_t ring_address, uint32_t ring_size);
void mvhost_local_network_requested(uint64_t network);
void mvhost_local_channel_opened(uint64_t channel, uint64_t centre, uint32_t tag, uint64_t network,
                                 const struct mvhost_channel_buffers *buffers);

/* Records that mvSendConfigFetchRequest returned OKAY, so a response may arrive for the channel. */
void mvhost_local_fetch_sent(uint64_t channel);

/* Forgets a handle that the kernel closed or no longer has (OKAY or INVALIDHANDLE of a close). */
void mvhost_local_centre_closed(uint64_t centre);
void mvhost_local_network_released(uint64_t network);
void mvhost_local_channel_closed(uint64_t channel);

/*
 * Caches the CONFIG_RESPONSE state in `payload` for its channel. Returns 1 when cached, 0 when the
 * payload is malformed or names a channel libmvhost does not track (then it is ignored).
 */
int mvhost_local_apply_config_response(const uint8_t *payload, uint32_t length);

/*
 * Caches the status in the NETWORK state `payload` for its network request handle, which may
 * arrive before the response that issues the handle. Returns 1 when cached, 0 when the payload is
 * malformed or the table has no room (then it is ignored).
 */
int mvhost_local_apply_network_status(const uint8_t *payload, uint32_t length);

/*
 * Returns 1 and the status mvGetNetworkStatus would write, when `network` came from an OKAY
 * mvRequestNetwork that the app has not released, and the kernel sent its status since.
 */
int mvhost_local_network_status(uint64_t network, uint32_t *status);

/*
 * Replaces the tracked centres, network requests and channels with those the LIVE_HANDLES state in
 * `payload` lists, which a kernel kept for a reconnect sends. Cached network statuses stay. Returns
 * 1 when applied, 0 when the payload is malformed (then no handle is tracked).
 */
int mvhost_local_apply_live_handles(const uint8_t *payload, uint32_t length);

/*
 * Replaces the reserved handles and their conditions with the RESERVED_HANDLES state in
 * `payload`. A state with no handles keeps the handles and clears each condition bit it does not
 * set. Returns 1 when applied, 0 when the payload is malformed (then every reservation is
 * dropped).
 */
int mvhost_local_apply_reservation(const uint8_t *payload, uint32_t length);

/*
 * Replaces the open budget with the OPEN_BUDGET state in `payload`. Returns 1 when applied, 0 when
 * the payload is malformed or lists more opens than libmvhost can count (then no budget is kept).
 */
int mvhost_local_apply_open_budget(const uint8_t *payload, uint32_t length);

/* Drops every reserved handle, condition and the open budget, so the calls they allow go to the kernel until the next state. */
void mvhost_local_revoke_reservation(void);

/*
 * Returns 1 and a reserved handle for a new notification centre when the kernel's last
 * RESERVED_HANDLES state reported no buffer or interrupt in use and libmvhost has set up no centre
 * locally since. The caller has checked the ring and interrupt and answers OKAY.
 */
int mvhost_local_take_centre_handle(uint64_t *handle);

/*
 * Returns 1 and a reserved handle for a new network request on the tracked centre `centre`, and
 * starts tracking the request. Its status is known when the last state gave the status of a new
 * request and libmvhost released no request since.
 */
int mvhost_local_take_network_handle(uint64_t centre, uint64_t *handle);

/*
 * Returns 1 and a reserved handle for a new channel, and starts tracking the channel as a holder
 * of `buffers`, when the kernel would open it at `now_us` with OKAY as far as its state shows: the
 * centre and the network request are tracked, no buffer the kernel uses overlaps `buffers`, and
 * the open budget allows another open. The caller has checked the arguments, that the clock is
 * virtual and that the request's status is CONNECTED.
 */
int mvhost_local_take_channel_handle(uint64_t centre, uint32_t tag, uint64_t network,
                                     const struct mvhost_channel_buffers *buffers, uint64_t now_us, uint64_t *handle);

/* Drops the cached response of every channel a CHANNELNOTCONNECTED notification may concern. */
void mvhost_local_note_notification(const uint8_t *payload, uint32_t length);

/* Returns 1 and the fetch result and item count if the channel's response is cached. */
int mvhost_local_response_data(uint64_t channel, uint32_t *result, uint32_t *item_count);

/*
 * Returns 1 and the item's result and value (which stays owned by the cache) when the channel's
 * response is cached, `index` is in range and the value fits in `capacity` bytes.
 */
int mvhost_local_item(uint64_t channel, uint32_t index, uint32_t capacity, uint32_t *result, const uint8_t **value,
                      uint32_t *length);

/*
 * Each returns 1 when closing the handle now is certain to succeed in the kernel with no other
 * effect the app could observe: the rules are in docs/wire-protocol.md.
 */
int mvhost_local_can_close_channel(uint64_t channel);
int mvhost_local_can_release_network(uint64_t network);
int mvhost_local_can_close_centre(uint64_t centre);

#endif
