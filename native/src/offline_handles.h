/*
 * Handles libmvhost issues itself while the bridge has never reached the simulator, so that
 * mvSetupNotifications and mvRequestNetwork succeed offline as on a device. The requests are kept
 * and replayed to the kernel once a connection is up; from then on every request carries the
 * kernel's handle in place of the offline one. Callers hold the transport lock.
 */
#ifndef MVHOST_OFFLINE_HANDLES_H
#define MVHOST_OFFLINE_HANDLES_H

#include <stdint.h>

/*
 * Issues an offline handle for a SETUP_NOTIFICATIONS or REQUEST_NETWORK request frame and keeps a
 * copy of it for the replay. Returns the handle, or 0 when the table is full.
 */
uint64_t mvhost_offline_issue(const uint8_t *request, uint32_t length);

/*
 * Replays the kept requests in order through `send`, which exchanges one request frame for its
 * reply payload (the reply's frames) and returns the reply length or -1. Each kernel handle that
 * comes back replaces the offline one. Returns 0, or -1 when an exchange failed (the rest stays
 * kept for the next connection).
 */
int mvhost_offline_replay(int32_t (*send)(const uint8_t *request, uint32_t length, uint32_t sequence,
                                          uint8_t *reply, uint32_t capacity),
                          uint8_t *reply, uint32_t capacity);

/*
 * Copies `request` into `out` with every u64 field that contains a replaced offline handle set to the
 * kernel's handle. Returns `request` itself when nothing needs replacing, else `out`.
 */
const uint8_t *mvhost_offline_translate(const uint8_t *request, uint32_t length, uint8_t *out);

/*
 * Notes a close request answered offline. A handle the kernel never saw is forgotten; a close of a
 * handle the kernel issued is kept and sent to it, before the replayed calls, at the next replay.
 */
void mvhost_offline_note_close(const uint8_t *request, uint32_t length);

/* Forgets the offline handle a close request names, once the kernel has closed its own in its place. */
void mvhost_offline_forget_closed(const uint8_t *request, uint32_t length);

/*
 * Binds the offline handle to the kernel's handle for the same call, which the kernel ran although
 * its reply was lost, so that the call is not replayed. Returns 1, or 0 when no unreplayed call
 * has that offline handle (the app closed it offline, say).
 */
int mvhost_offline_bind(uint64_t offline, uint64_t kernel);

/* Keeps a close of a kernel handle the app does not hold, to be sent first at the next replay. */
void mvhost_offline_queue_close(uint16_t close_opcode, uint64_t kernel);

/* Reads the handle a reply's RESPONSE carries: status OKAY and a u64 output. Returns 0 for any other reply. */
uint64_t mvhost_offline_handle_in_reply(const uint8_t *reply, uint32_t length);

/*
 * Returns the handle the kernel uses for `handle`: itself when it is not an offline handle, the
 * kernel's handle bound to an offline one, or 0 for an offline handle no kernel has bound yet.
 */
uint64_t mvhost_offline_kernel_handle(uint64_t handle);

/* Returns 1 while any offline handle exists, so callers allocate for mvhost_offline_translate. */
int mvhost_offline_active(void);

/* Forgets every offline handle, as at boot. */
void mvhost_offline_forget(void);

#endif
