/* clock_gettime is POSIX, hidden under plain C11. */
#define _POSIX_C_SOURCE 200809L

#include "device_clock.h"

#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "local_answers.h"
#include "wire.h"

#define MODULE "libmvhost"

enum clock_source { SOURCE_NONE, SOURCE_KERNEL, SOURCE_OFFLINE };

static enum clock_source source;
static uint32_t kind;
/* Device time at `host_base_us` on the host's monotonic clock. */
static uint64_t base_us;
static uint64_t host_base_us;
/* Set once the device time has a base (a CLOCK, a HELLO or going offline); time runs on from it. */
static int base_valid;
/* From the last QUIET state: no kernel event falls due before this kernel time; 0 when none holds. */
static uint64_t quiet_until_us;
static unsigned unknown_states_reported;
static uint64_t boot_id;

uint64_t mvhost_boot_id(void)
{
    while (boot_id == 0) {
        int fd = open("/dev/urandom", O_RDONLY);
        ssize_t count = fd >= 0 ? read(fd, &boot_id, sizeof boot_id) : -1;
        if (fd >= 0) {
            close(fd);
        }
        if (count != (ssize_t)sizeof boot_id) {
            /* Without /dev/urandom, the time and process id still differ from one boot to the next. */
            boot_id = mvhost_monotonic_us() ^ ((uint64_t)getpid() << 32);
        }
    }
    return boot_id;
}

void mvhost_boot_id_renew(void)
{
    boot_id = 0;
}

uint64_t mvhost_monotonic_us(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000u + (uint64_t)now.tv_nsec / 1000u;
}

void mvhost_device_clock_set(uint32_t clock_kind, uint64_t kernel_us)
{
    source = SOURCE_KERNEL;
    kind = clock_kind;
    /* A CLOCK leads the reply whose QUIET state then holds for the new time. */
    quiet_until_us = 0;
    base_us = kernel_us;
    host_base_us = mvhost_monotonic_us();
    base_valid = 1;
}

void mvhost_device_clock_set_time(uint64_t kernel_us)
{
    if (source == SOURCE_KERNEL) {
        base_us = kernel_us;
        host_base_us = mvhost_monotonic_us();
    }
}

/* Device time on a running clock: the base plus the host time since. */
static uint64_t running_time(void)
{
    return base_us + (mvhost_monotonic_us() - host_base_us);
}

int mvhost_device_clock_read(uint64_t *now_us)
{
    if (source != SOURCE_KERNEL) {
        return 0;
    }
    *now_us = kind == MVHOST_CLOCK_VIRTUAL ? base_us : running_time();
    return 1;
}

uint32_t mvhost_device_clock_kind(void)
{
    return source == SOURCE_KERNEL ? kind : 0;
}

/* Device time when no CLOCK is cached: the running base once one was set, else 0 (at boot). */
static uint64_t time_without_kernel(void)
{
    return base_valid ? running_time() : 0;
}

void mvhost_device_clock_go_offline(void)
{
    if (source == SOURCE_OFFLINE) {
        return;
    }
    uint64_t now = 0;
    if (!mvhost_device_clock_read(&now)) {
        now = time_without_kernel();
    }
    source = SOURCE_OFFLINE;
    quiet_until_us = 0;
    base_us = now;
    host_base_us = mvhost_monotonic_us();
    base_valid = 1;
}

uint64_t mvhost_device_clock_offline_now(void)
{
    mvhost_device_clock_go_offline();
    return running_time();
}

uint64_t mvhost_device_clock_for_hello(void)
{
    uint64_t now = 0;
    int known = base_valid;
    if (source == SOURCE_OFFLINE) {
        now = running_time();
        known = 1;
    } else if (mvhost_device_clock_read(&now)) {
        known = 1;
    } else {
        now = time_without_kernel();
    }

    /* Kept as the base, so a connection lost again before its first CLOCK goes on from here. At
       boot nothing is known yet, and the first HELLO of a boot carries 0. */
    base_us = now;
    host_base_us = mvhost_monotonic_us();
    base_valid = known;
    source = SOURCE_NONE;
    quiet_until_us = 0;
    return now;
}

void mvhost_device_clock_detach(void)
{
    (void)mvhost_device_clock_for_hello();
}

void mvhost_device_clock_forget(void)
{
    source = SOURCE_NONE;
    kind = 0;
    base_us = 0;
    host_base_us = 0;
    base_valid = 0;
    quiet_until_us = 0;
}

int mvhost_device_clock_quiet_covers(uint64_t duration_us, uint64_t *end_us)
{
    if (source != SOURCE_KERNEL || kind != MVHOST_CLOCK_VIRTUAL || base_us >= quiet_until_us) {
        return 0;
    }
    /* Strictly before: an event due at the very end would run at the end of the kernel's move. */
    if (duration_us >= quiet_until_us - base_us) {
        return 0;
    }
    *end_us = base_us + duration_us;
    return 1;
}

void mvhost_device_clock_quiet_revoke(void)
{
    quiet_until_us = 0;
}

static int apply_quiet(const uint8_t *payload, uint32_t length)
{
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field until;
    int written;
    mvhost_wire_reader_init(&reader, payload, length);
    mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &until, &written);
    quiet_until_us = until.value;
    return 1;
}

static int apply_clock(const uint8_t *payload, uint32_t length)
{
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field clock_kind;
    struct mvhost_wire_field micros;
    int written;
    mvhost_wire_reader_init(&reader, payload, length);
    mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &clock_kind, &written);
    mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &micros, &written);

    if (clock_kind.value != MVHOST_CLOCK_VIRTUAL && clock_kind.value != MVHOST_CLOCK_WALL) {
        fprintf(stderr, "%s: ignored a CLOCK state with clock kind %u; expected 1 (virtual) or 2 (wall)\n", MODULE,
                (unsigned)clock_kind.value);
        return 0;
    }
    mvhost_device_clock_set((uint32_t)clock_kind.value, micros.value);
    return 1;
}

int mvhost_state_deliver(uint16_t opcode, const uint8_t *payload, uint32_t length)
{
    const char *schema = mvhost_wire_state_schema(opcode);
    if (schema == NULL) {
        /* A newer kernel may send states this libmvhost does not use; one line per process is enough. */
        if (unknown_states_reported++ == 0) {
            fprintf(stderr, "%s: ignored a STATE frame with unknown state opcode 0x%04x (later ones are ignored "
                    "silently)\n", MODULE, (unsigned)opcode);
        }
        return 0;
    }
    if (mvhost_wire_check_schema(payload, length, schema) != MVHOST_WIRE_OK) {
        fprintf(stderr, "%s: ignored a STATE frame with opcode 0x%04x whose payload does not match its schema %s\n",
                MODULE, (unsigned)opcode, schema);
        mvhost_counters.transport_errors++;
        return 0;
    }

    switch (opcode) {
    case MVHOST_STATE_CLOCK:
        return apply_clock(payload, length);
    case MVHOST_STATE_CONFIG_RESPONSE:
        return mvhost_local_apply_config_response(payload, length);
    case MVHOST_STATE_NETWORK:
        return mvhost_local_apply_network_status(payload, length);
    case MVHOST_STATE_RESERVED_HANDLES:
        return mvhost_local_apply_reservation(payload, length);
    case MVHOST_STATE_QUIET:
        return apply_quiet(payload, length);
    case MVHOST_STATE_OPEN_BUDGET:
        return mvhost_local_apply_open_budget(payload, length);
    case MVHOST_STATE_LIVE_HANDLES:
        return mvhost_local_apply_live_handles(payload, length);
    default:
        return 0;
    }
}
