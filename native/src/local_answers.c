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
    /* The app buffers the kernel uses while the channel is open. */
    struct mvhost_channel_buffers buffers;
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

/* A notification centre the kernel issued to this app, and the ring it writes records into. */
struct centre {
    uint64_t handle;
    uint64_t ring_address;
    uint32_t ring_size;
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

/* Open times one OPEN_BUDGET state can list. The kernel's rate limit allows 8 opens per window. */
#define MAX_BUDGET_OPENS 16u

/* The kernel's last OPEN_BUDGET state, with the channels libmvhost opened itself since. */
struct open_budget {
    int known;
    uint32_t free_channels;
    uint32_t max_opens_per_window;
    uint64_t window_us;
    /* Times of the successful opens inside the window at the state's time, oldest first. */
    uint64_t opens[MAX_BUDGET_OPENS];
    uint32_t open_count;
};

static struct centre centres[MAX_CENTRES];
static struct reservation reservation;
static struct open_budget open_budget;
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

static struct centre *find_centre(uint64_t handle)
{
    if (handle == 0) {
        return NULL;
    }
    for (unsigned i = 0; i < MAX_CENTRES; i++) {
        if (centres[i].handle == handle) {
            return &centres[i];
        }
    }
    return NULL;
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
    memset(&open_budget, 0, sizeof open_budget);
    tables_overflowed = 0;
}

void mvhost_local_centre_opened(uint64_t centre, uint64_t ring_address, uint32_t ring_size)
{
    if (centre == 0 || find_centre(centre) != NULL) {
        return;
    }
    for (unsigned i = 0; i < MAX_CENTRES; i++) {
        if (centres[i].handle == 0) {
            centres[i] = (struct centre){.handle = centre, .ring_address = ring_address, .ring_size = ring_size};
            return;
        }
    }
    if (!tables_overflowed) {
        fprintf(stderr, "%s: more than %u open notification centre handles; every call now goes to the kernel "
                "until mvhost_reset\n", MODULE, MAX_CENTRES);
    }
    tables_overflowed = 1;
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

void mvhost_local_channel_opened(uint64_t channel, uint64_t centre, uint32_t tag, uint64_t network,
                                 const struct mvhost_channel_buffers *buffers)
{
    if (channel == 0) {
        return;
    }
    mvhost_local_channel_closed(channel);
    for (unsigned i = 0; i < MAX_CHANNELS; i++) {
        if (channels[i].handle == 0) {
            channels[i] = (struct channel){
                .handle = channel, .centre = centre, .network = network, .tag = tag, .buffers = *buffers};
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
    struct centre *tracked = find_centre(centre);
    if (tracked != NULL) {
        memset(tracked, 0, sizeof *tracked);
    }
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
    return !tables_overflowed && find_centre(centre) != NULL;
}

/* Forgets the tracked handles and the cached responses. The network statuses stay, but count only for a handle tracked again. */
static void forget_handles(void)
{
    for (unsigned i = 0; i < MAX_CHANNELS; i++) {
        wipe_cache(&channels[i]);
    }
    memset(channels, 0, sizeof channels);
    memset(centres, 0, sizeof centres);
    for (unsigned i = 0; i < MAX_NETWORKS; i++) {
        networks[i].tracked = 0;
    }
    tables_overflowed = 0;
}

/*
 * Reads the header of a list whose elements have `width` fields. Returns the element count, or -1
 * when the next field is no such list.
 */
static long read_list_header(struct mvhost_wire_reader *reader, unsigned width)
{
    struct mvhost_wire_field list;
    int written;
    if (mvhost_wire_read_expect(reader, MVHOST_WIRE_LIST, 0, &list, &written) != MVHOST_WIRE_OK ||
        list.list_width != width) {
        return -1;
    }
    return (long)list.list_count;
}

/* Reads one list element of u32 and u64 fields of the types in `tags` into `values`. Returns 0 if it is malformed. */
static int read_element(struct mvhost_wire_reader *reader, const uint8_t *tags, unsigned count, uint64_t *values)
{
    struct mvhost_wire_field field;
    int written;
    for (unsigned i = 0; i < count; i++) {
        if (mvhost_wire_read_expect(reader, tags[i], 0, &field, &written) != MVHOST_WIRE_OK) {
            return 0;
        }
        values[i] = field.value;
    }
    return 1;
}

/* Tracks each centre of the LIVE_HANDLES list: handle, ring address, ring size. */
static int read_live_centres(struct mvhost_wire_reader *reader)
{
    static const uint8_t tags[3] = {MVHOST_WIRE_U64, MVHOST_WIRE_U64, MVHOST_WIRE_U32};
    uint64_t values[3];
    long count = read_list_header(reader, 3);
    for (long i = 0; i < count; i++) {
        if (!read_element(reader, tags, 3, values)) {
            return 0;
        }
        mvhost_local_centre_opened(values[0], values[1], (uint32_t)values[2]);
    }
    return count >= 0;
}

static int read_live_networks(struct mvhost_wire_reader *reader)
{
    static const uint8_t tags[1] = {MVHOST_WIRE_U64};
    uint64_t handle;
    long count = read_list_header(reader, 1);
    for (long i = 0; i < count; i++) {
        if (!read_element(reader, tags, 1, &handle)) {
            return 0;
        }
        mvhost_local_network_requested(handle);
    }
    return count >= 0;
}

/*
 * Tracks each channel of the LIVE_HANDLES list: handle, centre, tag, network request, receive
 * buffer address and size, send buffer address and size, and whether a fetch on it is pending.
 */
static int read_live_channels(struct mvhost_wire_reader *reader)
{
    static const uint8_t tags[9] = {MVHOST_WIRE_U64, MVHOST_WIRE_U64, MVHOST_WIRE_U32,
                                    MVHOST_WIRE_U64, MVHOST_WIRE_U64, MVHOST_WIRE_U32,
                                    MVHOST_WIRE_U64, MVHOST_WIRE_U32, MVHOST_WIRE_U32};
    uint64_t values[9];
    long count = read_list_header(reader, 9);
    for (long i = 0; i < count; i++) {
        if (!read_element(reader, tags, 9, values)) {
            return 0;
        }
        struct mvhost_channel_buffers buffers = {.receive_address = values[4], .receive_size = (uint32_t)values[5],
                                                 .send_address = values[6], .send_size = (uint32_t)values[7]};
        mvhost_local_channel_opened(values[0], values[1], (uint32_t)values[2], values[3], &buffers);
        struct channel *tracked = find_channel(values[0]);
        if (tracked != NULL) {
            /* A close would cancel a pending fetch, which only the kernel may decide. */
            tracked->fetch_in_flight = values[8] != 0;
        }
    }
    return count >= 0;
}

int mvhost_local_apply_live_handles(const uint8_t *payload, uint32_t length)
{
    struct mvhost_wire_reader reader;
    mvhost_wire_reader_init(&reader, payload, length);
    forget_handles();
    if (!read_live_centres(&reader) || !read_live_networks(&reader) || !read_live_channels(&reader) ||
        !mvhost_wire_reader_at_end(&reader)) {
        fprintf(stderr, "%s: ignoring a malformed LIVE_HANDLES state frame\n", MODULE);
        forget_handles();
        return 0;
    }
    return 1;
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
    memset(&open_budget, 0, sizeof open_budget);
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
    if (tables_overflowed || find_centre(centre) == NULL || reservation.next >= reservation.count) {
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

int mvhost_local_apply_open_budget(const uint8_t *payload, uint32_t length)
{
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field free_channels;
    struct mvhost_wire_field max_opens;
    struct mvhost_wire_field window;
    struct mvhost_wire_field list;
    struct mvhost_wire_field opened_at;
    int written;
    struct open_budget next = {0};
    memset(&open_budget, 0, sizeof open_budget);
    mvhost_wire_reader_init(&reader, payload, length);
    if (mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &free_channels, &written) != MVHOST_WIRE_OK ||
        mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &max_opens, &written) != MVHOST_WIRE_OK ||
        mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &window, &written) != MVHOST_WIRE_OK ||
        mvhost_wire_read_expect(&reader, MVHOST_WIRE_LIST, 0, &list, &written) != MVHOST_WIRE_OK ||
        list.list_width != 1) {
        fprintf(stderr, "%s: ignoring a malformed OPEN_BUDGET state frame\n", MODULE);
        return 0;
    }

    /* Counting fewer opens than the kernel did would let an open through that it limits, so a longer list is not used. */
    if (list.list_count > MAX_BUDGET_OPENS) {
        return 0;
    }
    for (uint32_t i = 0; i < list.list_count; i++) {
        if (mvhost_wire_read_expect(&reader, MVHOST_WIRE_U64, 0, &opened_at, &written) != MVHOST_WIRE_OK) {
            fprintf(stderr, "%s: ignoring a malformed OPEN_BUDGET state frame\n", MODULE);
            return 0;
        }
        next.opens[i] = opened_at.value;
    }
    if (!mvhost_wire_reader_at_end(&reader)) {
        fprintf(stderr, "%s: ignoring a malformed OPEN_BUDGET state frame\n", MODULE);
        return 0;
    }

    next.known = 1;
    next.free_channels = (uint32_t)free_channels.value;
    next.max_opens_per_window = (uint32_t)max_opens.value;
    next.window_us = window.value;
    next.open_count = list.list_count;
    open_budget = next;
    return 1;
}

/*
 * Returns 1 when the kernel's channel limit and rate limit let the app open a channel at `now_us`.
 * That needs a free channel and fewer than the maximum of opens inside the window ending at
 * `now_us`. The table must also have room to count this open.
 */
static int open_budget_allows(uint64_t now_us)
{
    if (!open_budget.known || open_budget.free_channels == 0 || open_budget.open_count >= MAX_BUDGET_OPENS) {
        return 0;
    }

    /* The kernel counts an open made at time t while t > now - window, as Channels.isRateLimited does. */
    uint32_t in_window = 0;
    for (uint32_t i = 0; i < open_budget.open_count; i++) {
        if (now_us < open_budget.window_us || open_budget.opens[i] > now_us - open_budget.window_us) {
            in_window++;
        }
    }
    return in_window < open_budget.max_opens_per_window;
}

/* Returns 1 when the two regions are both non-empty and share a byte, as AppBuffer.overlaps decides. */
static int regions_overlap(uint64_t address, uint64_t size, uint64_t other_address, uint64_t other_size)
{
    if (size == 0 || other_size == 0) {
        return 0;
    }
    return address < other_address + other_size && other_address < address + size;
}

static int overlaps_channel_buffers(const struct mvhost_channel_buffers *buffers, uint64_t address, uint64_t size)
{
    return regions_overlap(buffers->receive_address, buffers->receive_size, address, size) ||
           regions_overlap(buffers->send_address, buffers->send_size, address, size);
}

/*
 * Returns 1 when the kernel uses no app buffer that overlaps the new channel's buffers. That is
 * certain only when the last state listed every buffer holder, and libmvhost tracks the buffers of
 * each holder the app has not closed since.
 */
static int channel_buffers_free(const struct mvhost_channel_buffers *buffers)
{
    if ((reservation.conditions & MVHOST_RESERVED_HOLDERS_LISTED) == 0) {
        return 0;
    }
    for (uint32_t i = 0; i < reservation.holder_count; i++) {
        const struct centre *centre = find_centre(reservation.holders[i]);
        const struct channel *channel = find_channel(reservation.holders[i]);
        if (centre != NULL) {
            if (overlaps_channel_buffers(buffers, centre->ring_address, centre->ring_size)) {
                return 0;
            }
        } else if (channel != NULL) {
            if (overlaps_channel_buffers(buffers, channel->buffers.receive_address, channel->buffers.receive_size) ||
                overlaps_channel_buffers(buffers, channel->buffers.send_address, channel->buffers.send_size)) {
                return 0;
            }
        } else {
            /* A holder libmvhost never saw opened (one from before a reconnect, say) has buffers it cannot check. */
            return 0;
        }
    }
    return 1;
}

int mvhost_local_take_channel_handle(uint64_t centre, uint32_t tag, uint64_t network,
                                     const struct mvhost_channel_buffers *buffers, uint64_t now_us, uint64_t *handle)
{
    const struct network *request = find_network(network);
    if (tables_overflowed || find_centre(centre) == NULL || request == NULL || !request->tracked ||
        reservation.next >= reservation.count || !channel_buffers_free(buffers) || !open_budget_allows(now_us)) {
        return 0;
    }

    /* The channel must fit the tables, or its buffers and its network would go untracked. */
    int room = 0;
    for (unsigned i = 0; i < MAX_CHANNELS && !room; i++) {
        room = channels[i].handle == 0;
    }
    if (!room || reservation.holder_count >= MAX_HOLDERS) {
        return 0;
    }

    *handle = take_reserved();
    mvhost_local_channel_opened(*handle, centre, tag, network, buffers);

    /* Its buffers are now in use, so a setup or another open needs them checked until the app closes it. */
    reservation.conditions &= ~MVHOST_RESERVED_SETUP_FREE;
    reservation.holders[reservation.holder_count++] = *handle;
    open_budget.free_channels--;
    open_budget.opens[open_budget.open_count++] = now_us;
    return 1;
}
