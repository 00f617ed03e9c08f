/*
 * The request a broken connection may have carried to the kernel while its reply never came back.
 * libmvhost gave the app a local reply for it, but the kernel may have run it: set up a ring,
 * opened a channel, written notifications into slots it counts as used. After the next handshake
 * libmvhost asks the bridge what became of it (a BRIDGE_RESUME control frame) before replaying the
 * calls made offline, and brings the two sides together. Callers hold the transport lock.
 */
#ifndef MVHOST_LOST_REQUEST_H
#define MVHOST_LOST_REQUEST_H

#include <stdint.h>

/*
 * Notes that the connection broke while `request` (one REQUEST or CONTROL frame) waited for its
 * reply. `offline_handle` is the offline handle the app got for it instead, or 0. A later note
 * replaces an earlier one: the bridge remembers only the reply to the last request it ran.
 */
void mvhost_lost_request_note(const uint8_t *request, uint32_t length, uint64_t offline_handle);

/* Returns 1 while a lost request waits to be resumed. */
int mvhost_lost_request_pending(void);

/*
 * Asks the bridge through `send` for the lost request's reply. If the kernel ran the request, its
 * notifications go into the rings. A handle it issued takes the place of the offline handle the
 * app holds. When the app got none, the handle is closed at the next replay. Returns 0, or -1 when
 * the exchange failed, and then the request stays noted for the next connection.
 */
int mvhost_lost_request_resume(int32_t (*send)(const uint8_t *request, uint32_t length, uint32_t sequence,
                                               uint8_t *reply, uint32_t capacity),
                               uint8_t *reply, uint32_t capacity);

/* Forgets the lost request, as at boot. */
void mvhost_lost_request_forget(void);

#endif
