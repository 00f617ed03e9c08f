/*
 * What a broken connection may have carried unread: the reply to the request that waited for it,
 * and notifications the server pushed. libmvhost gave the app a local reply for the request, but
 * the kernel may have run it: set up a ring, opened a channel, written notifications into slots it
 * counts as used. The kernel counted the slots of the pushed notifications too. After every
 * reconnection libmvhost requests both from the bridge (a BRIDGE_RESUME control frame) before
 * replaying the calls made offline, and brings the two sides together. Callers hold the transport
 * lock.
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

/*
 * Notes the sequence number of a NOTIFICATION frame read from the kernel. The kernel numbers its
 * frames in the order it writes them, so the resume names the last one to say what arrived.
 */
void mvhost_lost_request_note_read(uint32_t sequence);

/* Notes that a connection to a kernel is up, so the next one resumes what it may have lost. */
void mvhost_lost_request_note_connected(void);

/* Returns 1 when the next connection must send a BRIDGE_RESUME: a request was lost, or a connection was up before. */
int mvhost_lost_request_resume_due(void);

/*
 * Requests from the bridge through `send` what the last connection lost. Pushed notifications that libmvhost
 * never read go into the rings, and any it read already are dropped. If the kernel ran the lost
 * request, its notifications go into the rings too. A handle it issued takes the place of the
 * offline handle the app holds. When the app got none, the handle is closed at the next replay.
 * Returns 0, or -1 when the exchange failed, and then everything stays noted for the next
 * connection.
 */
int mvhost_lost_request_resume(int32_t (*send)(const uint8_t *request, uint32_t length, uint32_t sequence,
                                               uint8_t *reply, uint32_t capacity),
                               uint8_t *reply, uint32_t capacity);

/* Forgets the lost request and the kernel's last notification, as at boot. */
void mvhost_lost_request_forget(void);

#endif
