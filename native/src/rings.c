/*
 * The app's notification rings, as registered by successful mvSetupNotifications calls.
 *
 * libmvhost writes a notification only into a ring it registered and only at a slot inside it,
 * so a faulty frame can never make it write outside app memory the app handed over. Each slot
 * remembers whether the harness wrote it. Writing such a slot again while its event_type is
 * still non-zero counts as a ring overrun, because the app has not handled and zeroed it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "irq.h"
#include "lost_request.h"

#define MODULE "libmvhost"

/* Microvisor allows at most 32 notification centres at once. */
#define MAX_RINGS 32u
#define RECORD_BYTES 16u

struct ring {
    uint64_t handle;
    /* The kernel's handle for a ring set up offline under libmvhost's own handle; records name either. */
    uint64_t alias;
    uint64_t address;
    uint32_t slots;
    uint32_t irq;
    uint8_t *written_by_harness;
    /* The slot after the last one written, where the kernel writes next (it fills the ring in order). */
    uint32_t next_slot;
    /* Records libmvhost wrote itself at a lost link, which the kernel did not: its slot k is slot k + lag here. */
    uint32_t kernel_lag;
    /* The time of the last record written, which the next one must not precede. */
    uint64_t last_microseconds;
};

static int names(const struct ring *ring, uint64_t handle)
{
    return handle != 0 && (ring->handle == handle || ring->alias == handle);
}

static struct ring rings[MAX_RINGS];

/*
 * Centres the app closed lately. The kernel may still have records for one in flight: it learns of
 * a close libmvhost replied to itself only with the next exchange, whose reply then brings records
 * written before the close. Dropping those is no fault of the kernel's, so it goes unreported.
 */
#define CLOSED_REMEMBERED 8u
static uint64_t closed_handles[CLOSED_REMEMBERED];
static unsigned closed_next;

static void remember_closed(uint64_t handle)
{
    if (handle != 0) {
        closed_handles[closed_next] = handle;
        closed_next = (closed_next + 1) % CLOSED_REMEMBERED;
    }
}

static int closed_lately(uint64_t handle)
{
    for (unsigned i = 0; i < CLOSED_REMEMBERED; i++) {
        if (closed_handles[i] == handle && handle != 0) {
            return 1;
        }
    }
    return 0;
}

void mvhost_rings_register(uint64_t handle, uint64_t ring_address, uint32_t size_bytes, uint32_t irq)
{
    uint32_t slots = size_bytes / RECORD_BYTES;
    mvhost_rings_unregister(handle);
    if (handle == 0 || ring_address == 0 || slots == 0) {
        return;
    }

    for (unsigned i = 0; i < MAX_RINGS; i++) {
        if (rings[i].handle != 0) {
            continue;
        }
        uint8_t *flags = calloc(slots, 1);
        if (flags == NULL) {
            break;
        }
        rings[i] = (struct ring){.handle = handle, .address = ring_address, .slots = slots, .irq = irq,
                                 .written_by_harness = flags};
        return;
    }
    fprintf(stderr, "%s: cannot track the ring of notification handle 0x%llx (more than %u rings, or out of "
            "memory); its notifications will be rejected\n", MODULE, (unsigned long long)handle, MAX_RINGS);
}

void mvhost_rings_unregister(uint64_t handle)
{
    for (unsigned i = 0; i < MAX_RINGS; i++) {
        if (names(&rings[i], handle)) {
            remember_closed(rings[i].handle);
            remember_closed(rings[i].alias);
            free(rings[i].written_by_harness);
            memset(&rings[i], 0, sizeof rings[i]);
        }
    }
}

void mvhost_rings_clear(void)
{
    for (unsigned i = 0; i < MAX_RINGS; i++) {
        free(rings[i].written_by_harness);
        memset(&rings[i], 0, sizeof rings[i]);
    }
    memset(closed_handles, 0, sizeof closed_handles);
}

static struct ring *find_ring(uint64_t handle, uint64_t address)
{
    for (unsigned i = 0; i < MAX_RINGS; i++) {
        if (names(&rings[i], handle) && rings[i].address == address) {
            return &rings[i];
        }
    }
    return NULL;
}

/* Returns the ring registered under `handle` at any address, or NULL. */
static struct ring *find_ring_of(uint64_t handle)
{
    for (unsigned i = 0; i < MAX_RINGS; i++) {
        if (names(&rings[i], handle)) {
            return &rings[i];
        }
    }
    return NULL;
}

static void reject(const char *reason, uint64_t handle, uint64_t address, uint32_t slot)
{
    mvhost_counters.notifications_rejected++;
    fprintf(stderr, "%s: dropped a notification for centre 0x%llx, ring 0x%llx, slot %u: %s\n", MODULE,
            (unsigned long long)handle, (unsigned long long)address, (unsigned)slot, reason);
}

/* Byte copies: the app's ring may be any writable memory, so no alignment is assumed. */
static void write_record(struct ring *ring, uint32_t slot, uint64_t microseconds, uint32_t event_type, uint32_t tag)
{
    uint8_t *record = (uint8_t *)(uintptr_t)(ring->address + (uint64_t)slot * RECORD_BYTES);
    memcpy(record, &microseconds, sizeof microseconds);
    memcpy(record + 8, &event_type, sizeof event_type);
    memcpy(record + 12, &tag, sizeof tag);
    ring->written_by_harness[slot] = 1;
    ring->next_slot = (slot + 1) % ring->slots;
    ring->last_microseconds = microseconds;
    mvhost_counters.notifications_written++;
}

/* A NOTIFICATION frame's payload, read and checked against the registered rings. */
struct record {
    struct ring *ring;
    uint32_t slot;
    uint64_t microseconds;
    uint32_t event_type;
    uint32_t tag;
    int32_t irq;
};

/* Reads a NOTIFICATION payload into `record`; returns 0, with a log line, when it names no slot of a registered ring. */
static int read_record(const uint8_t *payload, uint32_t length, struct record *record)
{
    /* Payload fields: centre handle, ring address, slot, microseconds, event type, tag, irq, data. */
    static const uint8_t tags[8] = {MVHOST_WIRE_U64, MVHOST_WIRE_U64, MVHOST_WIRE_U32, MVHOST_WIRE_U64,
                                    MVHOST_WIRE_U32, MVHOST_WIRE_U32, MVHOST_WIRE_U32, MVHOST_WIRE_BYTES};
    struct mvhost_wire_field fields[8];
    struct mvhost_wire_reader reader;
    int written;
    mvhost_wire_reader_init(&reader, payload, length);
    for (unsigned i = 0; i < 8; i++) {
        if (mvhost_wire_read_expect(&reader, tags[i], 0, &fields[i], &written) != MVHOST_WIRE_OK) {
            reject("malformed NOTIFICATION payload", 0, 0, 0);
            return 0;
        }
    }
    if (!mvhost_wire_reader_at_end(&reader)) {
        reject("bytes after the last NOTIFICATION field", 0, 0, 0);
        return 0;
    }

    uint64_t handle = fields[0].value;
    uint64_t address = fields[1].value;
    uint32_t slot = (uint32_t)fields[2].value;
    struct ring *ring = find_ring(handle, address);
    if (ring == NULL && closed_lately(handle)) {
        return 0;
    }
    if (ring == NULL) {
        reject("no ring with that handle and address was registered by mvSetupNotifications", handle, address, slot);
        return 0;
    }
    if (slot >= ring->slots) {
        reject("slot index is beyond the end of the ring", handle, address, slot);
        return 0;
    }
    *record = (struct record){ring, slot, fields[3].value, (uint32_t)fields[4].value, (uint32_t)fields[5].value,
                              (int32_t)fields[6].value};
    return 1;
}

static int write_kernel_record(const struct record *record)
{
    struct ring *ring = record->ring;
    uint32_t slot = (record->slot + ring->kernel_lag) % ring->slots;
    /* Byte copies: the app's ring may be any writable memory, so no alignment is assumed. */
    uint8_t *bytes = (uint8_t *)(uintptr_t)(ring->address + (uint64_t)slot * RECORD_BYTES);
    uint32_t previous_event;
    memcpy(&previous_event, bytes + 8, sizeof previous_event);
    if (ring->written_by_harness[slot] && previous_event != 0) {
        mvhost_counters.ring_overruns++;
    }

    write_record(ring, slot, record->microseconds, record->event_type, record->tag);
    mvhost_irq_pend(record->irq);
    return 1;
}

int mvhost_rings_deliver(uint32_t sequence, const uint8_t *payload, uint32_t length)
{
    mvhost_lost_request_note_read(sequence);
    struct record record;
    if (!read_record(payload, length, &record)) {
        return 0;
    }
    /*
     * The kernel writes in time order, so an older record can only follow the ones libmvhost wrote
     * for a lost link: the kernel wrote it before the loss, and it reached libmvhost only after the
     * reconnect, in a resumed reply or a push sent again. Its slot, shifted past libmvhost's own
     * records, is still empty, and the app waits there for it.
     */
    if (record.microseconds < record.ring->last_microseconds) {
        record.microseconds = record.ring->last_microseconds;
    }
    return write_kernel_record(&record);
}

void mvhost_rings_each(void (*visit)(void *context, uint64_t handle, uint64_t address, uint32_t size_bytes,
                                      uint32_t irq),
                       void *context)
{
    for (unsigned i = 0; i < MAX_RINGS; i++) {
        if (rings[i].handle != 0) {
            /* A ring set up offline is known to the kernel by its alias once the replay bound it. */
            uint64_t handle = rings[i].alias != 0 ? rings[i].alias : rings[i].handle;
            visit(context, handle, rings[i].address, rings[i].slots * RECORD_BYTES, rings[i].irq);
        }
    }
}

void mvhost_rings_rebase(void)
{
    for (unsigned i = 0; i < MAX_RINGS; i++) {
        if (rings[i].handle != 0) {
            rings[i].kernel_lag = rings[i].next_slot;
        }
    }
}

void mvhost_rings_alias(uint64_t handle, uint64_t alias)
{
    /* One entry under both names: a copy would lose track of where the other one wrote. */
    struct ring *ring = find_ring_of(handle);
    if (ring != NULL) {
        ring->alias = alias;
    }
}

int mvhost_rings_write_local(uint64_t handle, uint64_t microseconds, uint32_t event_type, uint32_t tag)
{
    struct ring *ring = find_ring_of(handle);
    if (ring == NULL) {
        return 0;
    }

    /* On a wall clock libmvhost's estimate of the device time may trail the kernel's last record a little. */
    if (microseconds < ring->last_microseconds) {
        microseconds = ring->last_microseconds;
    }
    uint8_t *record = (uint8_t *)(uintptr_t)(ring->address + (uint64_t)ring->next_slot * RECORD_BYTES);
    uint32_t previous_event;
    memcpy(&previous_event, record + 8, sizeof previous_event);
    if (ring->written_by_harness[ring->next_slot] && previous_event != 0) {
        mvhost_counters.ring_overruns++;
    }
    write_record(ring, ring->next_slot, microseconds, event_type, tag);
    /* The kernel writes no record for a lost link (the bridge keeps its link down unannounced), so its
       next record belongs after this one. */
    ring->kernel_lag = (ring->kernel_lag + 1) % ring->slots;
    mvhost_irq_pend((int32_t)ring->irq);
    return 1;
}
