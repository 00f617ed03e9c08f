/*
 * What libmvhost returns by itself while the bridge has no connection to the simulator, so that
 * firmware sees what a device that lost its connection sees (docs/bridge.md, "While disconnected").
 */
#ifndef MVHOST_TRANSPORT_LOCAL_H
#define MVHOST_TRANSPORT_LOCAL_H

#include <stdint.h>

/*
 * Writes into `reply` the RESPONSE frame libmvhost gives `request` while disconnected. Returns its
 * length, or -1 if the request's header is invalid or `capacity` is too small.
 */
int32_t mvhost_local_answer(const uint8_t *request, uint32_t request_length, uint8_t *reply, uint32_t capacity);

#endif
