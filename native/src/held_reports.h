/*
 * REPORT frames that could not reach the simulator because the bridge link was down or broke,
 * kept until the next handshake. A kernel kept for the reconnect then still runs the calls
 * libmvhost answered itself before the loss, and binds the reserved handles the app got.
 * Callers hold the transport lock.
 */
#ifndef MVHOST_HELD_REPORTS_H
#define MVHOST_HELD_REPORTS_H

#include <stdint.h>

/* Most bytes of REPORT frames kept; a longer outage drops the rest with one stderr line. */
#define MVHOST_HELD_REPORTS_MAX_BYTES (64u * 1024u)

/*
 * Keeps `length` bytes of back-to-back REPORT frames, less those of the reads and status polls,
 * which change nothing in the kernel. Frames kept under an earlier boot id are dropped first, because a
 * reset device gets a fresh kernel.
 */
void mvhost_held_reports_keep(const uint8_t *frames, uint32_t length);

/*
 * Keeps REPORT frames that a flush wrote on a live link, as mvhost_held_reports_keep does: nothing
 * replies to them, so the link may still break before the server reads them. A later reply clears
 * them (mvhost_held_reports_delivered). When the room runs out, the oldest frames go first without
 * a message, because a link that stays up delivered them.
 */
void mvhost_held_reports_keep_sent(const uint8_t *frames, uint32_t length);

/*
 * Sends the kept frames through `send` (0 on success) and keeps them: a REPORT gets no reply, so
 * a written frame may still be lost with the connection. After a reset it drops them unsent.
 * Returns 0, or -1 when the send failed.
 */
int mvhost_held_reports_send(int (*send)(const uint8_t *frames, uint32_t length));

/*
 * Clears the kept frames, overwriting their bytes, once a reply that the server wrote after
 * reading them has arrived. A kernel kept for the reconnect skips the ones it ran already, so
 * sending them again after a connection that broke first is safe.
 */
void mvhost_held_reports_delivered(void);

#endif
