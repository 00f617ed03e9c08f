#include "local_answers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

#define MODULE "libmvhost"

/*
 * Handles tracked per kind. The kernel allows 32 centres and 4 channels at once; the tables are
 * larger so that a kernel configured with more still fits. When a table is full, libmvhost stops
 * answering locally until the next reset, because an untracked channel would make the network
 * rule unsafe.
 */
#define MAX_CENTRES 64u
#define MAX_NETWORKS 64u
#define MAX_CHANNELS 64u

/* Values from mv_syscalls.h. */
#define EVENT_CHANNELNOTCONNECTED 0x4u

struct cached_item {
    uint32_t result;
    uint32_t length;
    uint8_t *value;
};

struct channel {
    uint64_t handle;
    uint64_t centre;
    uint64_t network;
    uint32_t tag;
    /* A fetch was sent with OKAY and no CONFIG_RESPONSE state has arrived for it yet. */
    int fetch_in_flight;
    int cached;
    uint32_t fetch_result;
    uint32_t item_count;
    struct cached_item *items;
};

/*
 * A network request handle. A NETWORK state can arrive before the response that issued the
 * handle, so an entry may hold a status before it is tracked.
 */
struct network {
    uint64_t handle;
    /* The app got this handle from mvRequestNetwork with OKAY and has not released it. */
    int tracked;
    int status_known;
    uint32_t status;
};

/* Reserved handles kept from one RESERVED_HANDLES state. The kernel offers 4 at a time. */
#define MAX_RESERVED 16u

/* Centres and channels holding app buffers that one state can list; more clears HOLDERS_LISTED. */
#define MAX_HOLDERS (MAX_CENTRES + MAX_CHANNELS)

/* The kernel's last RESERVED_HANDLES state, less what libmvhost used of it since. */
struct reservation {
    uint32_t conditions;
    uint32_t network_status;
    uint64_t handles[MAX_RESERVED];
    uint32_t count;
    /* Index of the next handle to give out. The handles before it belong to the app now. */
    uint32_t next;
    /* With HOLDERS_LISTED: the centres and channels whose buffers the kernel uses, less those the app closed since. */
    uint64_t holders[MAX_HOLDERS];
    uint32_t holder_count;
};

static uint64_t centres[MAX_CENTRES];
static struct reservation reservation;
static struct network networks[MAX_NETWORKS];
static struct channel channels[MAX_CHANNELS];
static int tables_overflowed;

/* Overwrites the cached values before freeing them, because they can be secrets. */
static void wipe_cache(struct channel *channel)
{
    if (channel->items != NULL) {
        for (uint32_t i = 0; i < channel->item_count; i++) {
            struct cached_item *item = &channel->items[i];
            if (item->value != NULL) {
                volatile uint8_t *bytes = item->value;
                for (uint32_t b = 0; b < item->length; b++) {
                    bytes[b] = 0;
                }
                free(item->value);
            }
        }
        free(channel->items);
    }
    channel->items = NULL;
    channel->item_count = 0;
    channel->fetch_result = 0;
    channel->cached = 0;
}

static struct channel *find_channel(uint64_t handle)
{
    if (handle == 0) {
        return NULL;
    }
    for (unsigned i = 0; i < MAX_CHANNELS; i++) {
        if (channels[i].handle == handle) {
            return &channels[i];
        }
    }
    return NULL;
}

static int find_handle(const uint64_t *table, unsigned size, uint64_t handle)
{
    if (handle == 0) {
        return -1;
    }
    for (unsigned i = 0; i < size; i++) {
        if (table[i] == handle) {
            return (int)i;
        }
    }
    return -1;
}

static void add_handle(uint64_t *table, unsigned size, uint64_t handle, const char *kind)
{
    if (handle == 0 || find_handle(table, size, handle) >= 0) {
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        if (table[i] == 0) {
            table[i] = handle;
            return;
        }
    }
    if (!tables_overflowed) {
        fprintf(stderr, "%s: more than %u open %s handles; every call now goes to the kernel until "
                "mvhost_reset\n", MODULE, size, kind);
    }
    tables_overflowed = 1;
}

static void remove_handle(uint64_t *table, unsigned size, uint64_t handle)
{
    int index = find_handle(table, size, handle);
    if (index >= 0) {
        table[index] = 0;
    }
}

static struct network *find_network(uint64_t handle)
{
    if (handle == 0) {
        return NULL;
    }
    for (unsigned i = 0; i < MAX_NETWORKS; i++) {
        if (networks[i].handle == handle) {
            return &networks[i];
        }
    }
    return NULL;
}

/*
 * Returns the entry for `handle`, adding an empty one if needed, or NULL when every entry is
 * tracked. A full table gives up a status-only entry, which a NETWORK state for a handle the app
 * already released can leave behind.
 */
static struct network *find_or_add_network(uint64_t handle)
{
    struct network *entry = find_network(handle);
    if (entry != NULL || handle == 0) {
        return entry;
    }
    for (unsigned i = 0; i < MAX_NETWORKS; i++) {
        if (networks[i].handle == 0) {
            networks[i] = (struct network){.handle = handle};
            return &networks[i];
        }
    }
    for (unsigned i = 0; i < MAX_NETWORKS; i++) {
        if (!networks[i].tracked) {
            networks[i] = (struct network){.handle = handle};
            return &networks[i];
        }
    }
    return NULL;
}

void mvhost_local_forget_all(void)
{
    for (unsigned i = 0; i < MAX_CHANNELS; i++) {
        wipe_cache(&channels[i]);
    }
    memset(channels, 0, sizeof channels);
    memset(centres, 0, sizeof centres);
    memset(networks, 0, sizeof networks);
    memset(&reservation, 0, sizeof reservation);
    tables_overflowed = 0;
}

void mvhost_local_centre_opened(uint64_t centre)
{
    add_handle(centres, MAX_CENTRES, centre, "notification centre");
}

void mvhost_local_network_requested(uint64_t network)
{
    if (network == 0) {
        return;
    }
    struct network *entry = find_or_add_network(network);
    if (entry == NULL) {
        if (!tables_overflowed) {
            fprintf(stderr, "%s: more than %u open network request handles; every call now goes to the kernel "
                    "until mvhost_reset\n", MODULE, MAX_NETWORKS);
        }
        tables_overflowed = 1;
        return;
    }
    entry->tracked = 1;
}

void mvhost_local_channel_opened(uint64_t channel, uint64_t centre, uint32_t tag, uint64_t network)
{
    if (channel == 0) {
        return;
    }
    mvhost_local_channel_closed(channel);
    for (unsigned i = 0; i < MAX_CHANNELS; i++) {
        if (channels[i].handle == 0) {
            channels[i] = (struct channel){.handle = channel, .centre = centre, .network = network, .tag = tag};
            return;
        }
    }
    if (!tables_overflowed) {
        fprintf(stderr, "%s: more than %u open channels; every call now goes to the kernel until mvhost_reset\n",
                MODULE, MAX_CHANNELS);
    }
    tables_overflowed = 1;
}

void mvhost_local_fetch_sent(uint64_t channel)
{
    struct channel *tracked = find_channel(channel);
    /* With no link delay the response state comes in the send's own reply, before the send returns. */
    if (tracked != NULL) {
        tracked->fetch_in_flight = !tracked->cached;
    }
}

/* The app closed `handle` (OKAY, or INVALIDHANDLE, which the kernel gives only for a handle it does not hold). */
static void remove_holder(uint64_t handle)
{
    for (uint32_t i = 0; i < reservation.holder_count; i++) {
        if (reservation.holders[i] == handle) {
            reservation.holders[i] = reservation.holders[--reservation.holder_count];
            return;
        }
    }
}

void mvhost_local_centre_closed(uint64_t centre)
{
    remove_handle(centres, MAX_CENTRES, centre);
    remove_holder(centre);

    /* The kernel drops every record for a closed centre, so a later closure of its channels would go unseen. */
    for (unsigned i = 0; i < MAX_CHANNELS; i++) {
        if (channels[i].handle != 0 && channels[i].centre == centre) {
            wipe_cache(&channels[i]);
        }
    }
}

void mvhost_local_network_released(uint64_t network)
{
    struct network *entry = find_network(network);
    if (entry != NULL) {
        memset(entry, 0, sizeof *entry);
    }

    /* Releasing the last request takes the device offline, which changes what a new request reports
       unless the state had STATUS_SURVIVES_RELEASE. */
    if ((reservation.conditions & MVHOST_RESERVED_STATUS_SURVIVES_RELEASE) == 0) {
        reservation.conditions &= ~MVHOST_RESERVED_STATUS_KNOWN;
    }

    /* Releasing a network closes its channels in the kernel. */
    for (unsigned i = 0; i < MAX_CHANNELS; i++) {
        if (channels[i].handle != 0 && channels[i].network == network) {
            wipe_cache(&channels[i]);
        }
    }
}

void mvhost_local_channel_closed(uint64_t channel)
{
    remove_holder(channel);
    struct channel *tracked = find_channel(channel);
    if (tracked != NULL) {
        wipe_cache(tracked);
        memset(tracked, 0, sizeof *tracked);
    }
}

/* Reads the item list of a CONFIG_RESPONSE payload into `items`; returns 0 if it is malformed. */
static int read_items(struct mvhost_wire_reader *reader, struct cached_item *items, uint32_t count)
{
    struct mvhost_wire_field field;
    int written;
    for (uint32_t i = 0; i < count; i++) {
        if (mvhost_wire_read_expect(reader, MVHOST_WIRE_U32, 0, &field, &written) != MVHOST_WIRE_OK) {
            return 0;
        }
        items[i].result = (uint32_t)field.value;
        if (mvhost_wire_read_expect(reader, MVHOST_WIRE_BYTES, 0, &field, &written) != MVHOST_WIRE_OK) {
            return 0;
        }
        items[i].length = field.length;
        if (field.length > 0) {
            items[i].value = malloc(field.length);
            if (items[i].value == NULL) {
                return 0;
            }
            memcpy(items[i].value, field.bytes, field.length);
        }
    }
    return mvhost_wire_reader_at_end(reader);
}

int mvhost_local_apply_config_response(const uint8_t *payload, uint32_t length)
{
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field handle;
    struct mvhost_wire_field result;
    struct mvhost_wire_field list;
    int written;
    mvhost_wire_reader_init(&reader, payload, length);
    if (mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &handle, &written) != MVHOST_WIRE_OK ||
        mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &result, &written) != MVHOST_WIRE_OK ||
        mvhost_wire_read_expect(&reader, MVHOST_WIRE_LIST, 0, &list, &written) != MVHOST_WIRE_OK ||
        list.list_width != 2) {
        fprintf(stderr, "%s: ignoring a malformed CONFIG_RESPONSE state frame\n", MODULE);
        return 0;
    }
    struct channel *channel = find_channel(handle.value);
    if (channel == NULL) {
        return 0;
    }

    wipe_cache(channel);
    channel->fetch_in_flight = 0;
    struct cached_item *items = list.list_count > 0 ? calloc(list.list_count, sizeof *items) : NULL;
    channel->items = items;
    channel->item_count = list.list_count;
    if ((list.list_count > 0 && items == NULL) || !read_items(&reader, items, list.list_count)) {
        fprintf(stderr, "%s: ignoring a malformed CONFIG_RESPONSE state frame for channel 0x%llx\n", MODULE,
                (unsigned long long)handle.value);
        wipe_cache(channel);
        return 0;
    }
    channel->fetch_result = (uint32_t)result.value;
    channel->cached = 1;
    return 1;
}

void mvhost_local_note_notification(const uint8_t *payload, uint32_t length)
{
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field fields[6];
    int written;
    static const uint8_t tags[6] = {MVHOST_WIRE_U64, MVHOST_WIRE_U64, MVHOST_WIRE_U32,
                                    MVHOST_WIRE_U64, MVHOST_WIRE_U32, MVHOST_WIRE_U32};
    mvhost_wire_reader_init(&reader, payload, length);
    for (unsigned i = 0; i < 6; i++) {
        if (mvhost_wire_read_expect(&reader, tags[i], 0, &fields[i], &written) != MVHOST_WIRE_OK) {
            return;
        }
    }
    uint64_t centre = fields[0].value;
    uint32_t event_type = (uint32_t)fields[4].value;
    uint32_t tag = (uint32_t)fields[5].value;
    if (event_type != EVENT_CHANNELNOTCONNECTED) {
        return;
    }

    /* The record names a centre and a tag, not a channel, so every channel that shares both loses its cache. */
    for (unsigned i = 0; i < MAX_CHANNELS; i++) {
        if (channels[i].handle != 0 && channels[i].centre == centre && channels[i].tag == tag) {
            wipe_cache(&channels[i]);
        }
    }
}

int mvhost_local_response_data(uint64_t channel, uint32_t *result, uint32_t *item_count)
{
    struct channel *tracked = find_channel(channel);
    if (tables_overflowed || tracked == NULL || !tracked->cached) {
        return 0;
    }
    *result = tracked->fetch_result;
    *item_count = tracked->item_count;
    return 1;
}

int mvhost_local_item(uint64_t channel, uint32_t index, uint32_t capacity, uint32_t *result, const uint8_t **value,
                      uint32_t *length)
{
    struct channel *tracked = find_channel(channel);
    if (tables_overflowed || tracked == NULL || !tracked->cached || index >= tracked->item_count) {
        return 0;
    }
    const struct cached_item *item = &tracked->items[index];
    if (item->length > capacity) {
        return 0;
    }
    *result = item->result;
    *value = item->value;
    *length = item->length;
    return 1;
}

int mvhost_local_can_close_channel(uint64_t channel)
{
    struct channel *tracked = find_channel(channel);
    return !tables_overflowed && tracked != NULL && !tracked->fetch_in_flight;
}

int mvhost_local_can_release_network(uint64_t network)
{
    const struct network *entry = find_network(network);
    if (tables_overflowed || entry == NULL || !entry->tracked) {
        return 0;
    }
    /* A release closes the channels on the network and notifies each, which only the kernel can do. */
    for (unsigned i = 0; i < MAX_CHANNELS; i++) {
        if (channels[i].handle != 0 && channels[i].network == network) {
            return 0;
        }
    }
    return 1;
}

int mvhost_local_apply_network_status(const uint8_t *payload, uint32_t length)
{
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field handle;
    struct mvhost_wire_field status;
    int written;
    mvhost_wire_reader_init(&reader, payload, length);
    if (mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &handle, &written) != MVHOST_WIRE_OK ||
        mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &status, &written) != MVHOST_WIRE_OK ||
        !mvhost_wire_reader_at_end(&reader)) {
        fprintf(stderr, "%s: ignoring a malformed NETWORK state frame\n", MODULE);
        return 0;
    }

    /* A table full of tracked handles only costs this handle's local answers, so the status is dropped. */
    struct network *entry = find_or_add_network(handle.value);
    if (entry == NULL) {
        return 0;
    }
    entry->status = (uint32_t)status.value;
    entry->status_known = 1;
    return 1;
}

int mvhost_local_network_status(uint64_t network, uint32_t *status)
{
    const struct network *entry = find_network(network);
    if (tables_overflowed || entry == NULL || !entry->tracked || !entry->status_known) {
        return 0;
    }
    *status = entry->status;
    return 1;
}

int mvhost_local_can_close_centre(uint64_t centre)
{
    return !tables_overflowed && find_handle(centres, MAX_CENTRES, centre) >= 0;
}

/* Reads a list of u64 handles into `out` (up to `capacity`); returns how many the list held, or -1 if malformed. */
static long read_handle_list(struct mvhost_wire_reader *reader, uint64_t *out, uint32_t capacity, uint32_t *stored)
{
    struct mvhost_wire_field list;
    struct mvhost_wire_field handle;
    int written;
    *stored = 0;
    if (mvhost_wire_read_expect(reader, MVHOST_WIRE_LIST, 0, &list, &written) != MVHOST_WIRE_OK ||
        list.list_width != 1) {
        return -1;
    }
    for (uint32_t i = 0; i < list.list_count; i++) {
        if (mvhost_wire_read_expect(reader, MVHOST_WIRE_U64, 0, &handle, &written) != MVHOST_WIRE_OK) {
            return -1;
        }
        if (handle.value != 0 && *stored < capacity) {
            out[(*stored)++] = handle.value;
        }
    }
    return (long)list.list_count;
}

int mvhost_local_apply_reservation(const uint8_t *payload, uint32_t length)
{
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field conditions;
    struct mvhost_wire_field status;
    int written;
    struct reservation next = {0};
    mvhost_wire_reader_init(&reader, payload, length);
    int fields_read = mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &conditions, &written) == MVHOST_WIRE_OK &&
                      mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &status, &written) == MVHOST_WIRE_OK;
    /* Handles past the table's room stay unused in the kernel, which costs nothing. */
    long offered = fields_read ? read_handle_list(&reader, next.handles, MAX_RESERVED, &next.count) : -1;
    long holders = offered >= 0 ? read_handle_list(&reader, next.holders, MAX_HOLDERS, &next.holder_count) : -1;
    if (holders < 0 || !mvhost_wire_reader_at_end(&reader)) {
        fprintf(stderr, "%s: ignoring a malformed RESERVED_HANDLES state frame\n", MODULE);
        memset(&reservation, 0, sizeof reservation);
        return 0;
    }

    /* A state without handles is a push that only takes conditions back, because a push may overtake REPORTs. */
    if (offered == 0) {
        reservation.conditions &= (uint32_t)conditions.value;
        return 1;
    }

    next.conditions = (uint32_t)conditions.value;
    next.network_status = (uint32_t)status.value;
    /* A list cut short by the table's room would free a setup too early. */
    if ((uint32_t)holders != next.holder_count) {
        next.conditions &= ~MVHOST_RESERVED_HOLDERS_LISTED;
    }
    reservation = next;
    return 1;
}

void mvhost_local_revoke_reservation(void)
{
    memset(&reservation, 0, sizeof reservation);
}

/* Gives out the next reserved handle, or returns 0 when none is left. */
static uint64_t take_reserved(void)
{
    if (reservation.next >= reservation.count) {
        return 0;
    }
    return reservation.handles[reservation.next++];
}

/* Returns 1 when the kernel uses no app buffer now: the state had SETUP_FREE, or the app closed every holder it listed. */
static int setup_is_free(void)
{
    if ((reservation.conditions & MVHOST_RESERVED_SETUP_FREE) != 0) {
        return 1;
    }
    return (reservation.conditions & MVHOST_RESERVED_HOLDERS_LISTED) != 0 && reservation.holder_count == 0;
}

int mvhost_local_take_centre_handle(uint64_t *handle)
{
    if (tables_overflowed || !setup_is_free() || reservation.next >= reservation.count) {
        return 0;
    }
    *handle = take_reserved();

    /* The new centre uses a ring and an interrupt, so a second setup needs the kernel's checks until the app closes it. */
    reservation.conditions &= ~MVHOST_RESERVED_SETUP_FREE;
    if (reservation.holder_count < MAX_HOLDERS) {
        reservation.holders[reservation.holder_count++] = *handle;
    } else {
        reservation.conditions &= ~MVHOST_RESERVED_HOLDERS_LISTED;
    }
    return 1;
}

int mvhost_local_take_network_handle(uint64_t centre, uint64_t *handle)
{
    if (tables_overflowed || find_handle(centres, MAX_CENTRES, centre) < 0 || reservation.next >= reservation.count) {
        return 0;
    }
    struct network *entry = find_or_add_network(reservation.handles[reservation.next]);
    if (entry == NULL) {
        return 0;
    }

    *handle = take_reserved();
    entry->tracked = 1;
    /* A request changes the device's status only from offline, and the state gave the status it leads to. */
    if ((reservation.conditions & MVHOST_RESERVED_STATUS_KNOWN) != 0) {
        entry->status = reservation.network_status;
        entry->status_known = 1;
    }
    return 1;
}
