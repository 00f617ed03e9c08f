/*
 * The bridge transport: syscall frames to a simulator over TCP, a Unix socket or a serial line,
 * in the bridge's packets (version 2 on sockets when the simulator speaks it, version 1 on a serial
 * line), after an HMAC-SHA-256 handshake (docs/bridge.md). It plugs into the
 * call cycle as an mvhost_exchange_fn, so the syscall wrappers do not know it exists.
 */
#ifndef MVHOST_TRANSPORT_BRIDGE_H
#define MVHOST_TRANSPORT_BRIDGE_H

#include <stdint.h>

/*
 * Installs the bridge from MVHOST_CONNECT, MVHOST_DEVICE and MVHOST_DEVICE_KEY if MVHOST_CONNECT
 * is set, once per process. host.c calls it on the first syscall made with no transport; the
 * caller holds the transport lock. Returns 1 if a transport is now installed.
 */
int mvhost_bridge_install_from_environment(void);

/* Handshake message types, shared with the fuzz driver. */
enum {
    MVHOST_HS_HELLO = 1,
    MVHOST_HS_CHALLENGE = 2,
    MVHOST_HS_PROOF = 3,
    MVHOST_HS_WELCOME = 4,
    MVHOST_HS_REJECT = 5
};

/* REJECT reason for a frame that arrived before any handshake: the device must send a HELLO. */
#define MVHOST_REJECT_NO_SESSION 6u

#endif
