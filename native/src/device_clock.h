/*
 * The device clock: the kernel time libmvhost last learned from a CLOCK state, from which
 * HAL_GetTick and mvhost_clock_now_us are computed without an exchange, and the time kept while
 * the bridge is offline. Callers hold the transport lock unless stated otherwise.
 */
#ifndef MVHOST_DEVICE_CLOCK_H
#define MVHOST_DEVICE_CLOCK_H

#include <stdint.h>

/* Stores a CLOCK state: `kind` is MVHOST_CLOCK_VIRTUAL or MVHOST_CLOCK_WALL. */
void mvhost_device_clock_set(uint32_t kind, uint64_t kernel_us);

/* Stores the kernel time a reply to NOW, SLEEP or WAIT carried; ignored until a CLOCK state arrived. */
void mvhost_device_clock_set_time(uint64_t kernel_us);

/*
 * Writes the device time computed from the last CLOCK state: the cached time on a virtual clock,
 * the cached time plus the host's monotonic time since it arrived on a wall clock. Returns 1, or
 * 0 when no CLOCK state is cached since the last connection or reset.
 */
int mvhost_device_clock_read(uint64_t *now_us);

/* Returns the cached clock kind (MVHOST_CLOCK_VIRTUAL or MVHOST_CLOCK_WALL), or 0 when none is. */
uint32_t mvhost_device_clock_kind(void);

/*
 * Switches to offline time when the bridge loses the simulator: from now on the device time is
 * the last device time plus the host's monotonic time since, so it neither jumps forward at the
 * loss nor runs slower while offline. Before any CLOCK state, offline time starts at 0.
 */
void mvhost_device_clock_go_offline(void);

/* Returns the offline device time; starts offline time at 0 if it was not started. */
uint64_t mvhost_device_clock_offline_now(void);

/*
 * Returns the device time to send in a HELLO: 0 on the first connection of a boot, else the
 * offline time, and forgets the cached CLOCK so that the new connection's first reply sets it.
 */
uint64_t mvhost_device_clock_for_hello(void);

/*
 * Drops the cached CLOCK when the transport changes, so the next read exchanges with the new kernel, but
 * keeps the device time running from where it is for the next HELLO of the same boot.
 */
void mvhost_device_clock_detach(void);

/*
 * Returns 1 and writes the device time at the end when a virtual clock may move on by
 * `duration_us` without the kernel: by the last QUIET state no kernel event falls due before the
 * end, so the kernel would only move its clock. Returns 0 otherwise: no QUIET state since the last
 * CLOCK or connection, a wall clock, or an event due by then.
 */
int mvhost_device_clock_quiet_covers(uint64_t duration_us, uint64_t *end_us);

/*
 * Forgets the QUIET state until the next one arrives, for a call whose replay may schedule a
 * kernel event (a network request can schedule its connect) or that failed in the transport.
 */
void mvhost_device_clock_quiet_revoke(void);

/* Forgets everything, as at boot; mvhost_reset calls it. */
void mvhost_device_clock_forget(void);

/*
 * Returns this boot's id for the bridge HELLO: random, chosen at the first call after the
 * process start or after mvhost_boot_id_renew, so the simulator can tell a reconnect from a reboot.
 */
uint64_t mvhost_boot_id(void);

/* Starts a new boot: the next mvhost_boot_id call chooses a new id. mvhost_reset calls it. */
void mvhost_boot_id_renew(void);

/* Returns the host's monotonic clock in microseconds. Needs no lock. */
uint64_t mvhost_monotonic_us(void);

/*
 * Applies one STATE frame of a reply or a push: checks the payload against the opcode's schema
 * and caches it. Returns 1 when applied, 0 when skipped (unknown opcode or invalid payload,
 * each reported with one stderr line).
 */
int mvhost_state_deliver(uint16_t opcode, const uint8_t *payload, uint32_t length);

#endif
