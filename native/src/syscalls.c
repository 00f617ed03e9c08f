/*
 * Every function of mv_syscalls.h (Microvisor v0.7.0), marshalled into request frames.
 *
 * Each wrapper encodes its arguments in the order of the opcode's request schema
 * (docs/wire-protocol.md), exchanges the frame, and writes back each output the kernel wrote,
 * and only then. Pointers travel as a presence flag plus address, so a NULL pointer reaches the
 * kernel as "absent" and the kernel picks PARAMETERFAULT or LATEFAULT; this file never reads
 * or writes through a NULL pointer. Bytes are copied from a non-NULL input pointer only, up to
 * MAX_INPUT_BYTES; past that the bytes field stays empty and the kernel compares it with the
 * declared length.
 *
 * For the MQTT, system-notification, external-flash-info and Wi-Fi calls only the top-level
 * arguments travel: their nested structs are outside mvsim's scope, and the kernel returns its
 * documented status for them.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "device_clock.h"
#include "host.h"
#include "local_answers.h"
#include "mv_syscalls.h"

/* Input bytes copied into one field at most: half the payload maximum, leaving room for the rest. */
#define MAX_INPUT_BYTES (MVHOST_WIRE_MAX_PAYLOAD_BYTES / 2u)

#define HANDLE(value) ((uint64_t)(uintptr_t)(value))

static void put_input_bytes(struct mvhost_wire_writer *writer, const void *data, uint32_t length)
{
    if (data == NULL || length > MAX_INPUT_BYTES) {
        mvhost_wire_put_bytes(writer, NULL, 0);
    } else {
        mvhost_wire_put_bytes(writer, data, length);
    }
}

/* Pointer, length and bytes of a sized string; all absent when its parent struct is absent. */
static void put_sized_string(struct mvhost_wire_writer *writer, const struct MvSizedString *string)
{
    if (string == NULL) {
        mvhost_wire_put_pointer(writer, NULL);
        mvhost_wire_put_u32(writer, 0);
        mvhost_wire_put_bytes(writer, NULL, 0);
        return;
    }
    mvhost_wire_put_pointer(writer, string->data);
    mvhost_wire_put_u32(writer, string->length);
    put_input_bytes(writer, string->data, string->length);
}

static enum MvStatus finish(struct mvhost_call *call)
{
    return (enum MvStatus)mvhost_call_end(call);
}

/* Calls whose only outputs are a single u32 or u64 through one pointer. */
static enum MvStatus pointer_out_u32(uint16_t opcode, const char *function, uint32_t *out)
{
    struct mvhost_call call;
    uint32_t value;
    mvhost_call_begin(&call, opcode, function);
    mvhost_wire_put_pointer(&call.writer, out);
    if (mvhost_call_exchange(&call) && mvhost_take_u32(&call, &value) && out != NULL) {
        *out = value;
    }
    return finish(&call);
}

static enum MvStatus pointer_out_u64(uint16_t opcode, const char *function, uint64_t *out)
{
    struct mvhost_call call;
    uint64_t value;
    mvhost_call_begin(&call, opcode, function);
    mvhost_wire_put_pointer(&call.writer, out);
    if (mvhost_call_exchange(&call) && mvhost_take_u64(&call, &value) && out != NULL) {
        *out = value;
    }
    return finish(&call);
}

/* Calls that take only u32 scalars and have no outputs. */
static enum MvStatus scalars_only(uint16_t opcode, const char *function, unsigned count, uint32_t a, uint32_t b,
                                  uint32_t c)
{
    struct mvhost_call call;
    const uint32_t values[3] = {a, b, c};
    mvhost_call_begin(&call, opcode, function);
    for (unsigned i = 0; i < count; i++) {
        mvhost_wire_put_u32(&call.writer, values[i]);
    }
    (void)mvhost_call_exchange(&call);
    return finish(&call);
}

/* Calls that take a channel handle and one struct pointer, and have no outputs on the wire. */
static enum MvStatus handle_and_pointer(uint16_t opcode, const char *function, uint64_t handle,
                                        const void *pointer)
{
    struct mvhost_call call;
    mvhost_call_begin(&call, opcode, function);
    mvhost_wire_put_u64(&call.writer, handle);
    mvhost_wire_put_pointer(&call.writer, pointer);
    (void)mvhost_call_exchange(&call);
    return finish(&call);
}

/*
 * Handle variables are read and written with memcpy: every handle type is a pointer to a
 * different opaque struct, and memcpy keeps these shared helpers free of aliasing casts.
 */
static uint64_t load_handle(const void *storage)
{
    void *handle;
    memcpy(&handle, storage, sizeof handle);
    return HANDLE(handle);
}

static void store_handle(void *storage, uint64_t value)
{
    void *handle = (void *)(uintptr_t)value;
    memcpy(storage, &handle, sizeof handle);
}

/* The handles libmvhost tracks for local answers; OTHER ones are always closed by the kernel. */
enum handle_kind { HANDLE_CENTRE, HANDLE_NETWORK, HANDLE_CHANNEL, HANDLE_OTHER };

static int can_close_locally(enum handle_kind kind, uint64_t handle)
{
    switch (kind) {
    case HANDLE_CENTRE:
        return mvhost_local_can_close_centre(handle);
    case HANDLE_NETWORK:
        return mvhost_local_can_release_network(handle);
    case HANDLE_CHANNEL:
        return mvhost_local_can_close_channel(handle);
    default:
        return 0;
    }
}

/* Forgets a handle the kernel no longer has. The caller holds the transport lock. */
static void forget_handle(enum handle_kind kind, uint64_t handle)
{
    if (kind == HANDLE_CENTRE) {
        mvhost_local_centre_closed(handle);
        mvhost_rings_unregister(handle);
    } else if (kind == HANDLE_NETWORK) {
        mvhost_local_network_released(handle);
    } else if (kind == HANDLE_CHANNEL) {
        mvhost_local_channel_closed(handle);
    }
}

/*
 * Calls that close a handle through a pointer: the kernel writes the new value (0) back. A close
 * whose success is certain from what libmvhost saw is answered here and posted as a REPORT.
 */
static enum MvStatus close_handle(uint16_t opcode, const char *function, void *handle_in_out, enum handle_kind kind)
{
    struct mvhost_call call;
    uint64_t value;
    uint64_t current = handle_in_out != NULL ? load_handle(handle_in_out) : 0;
    mvhost_call_begin(&call, opcode, function);
    mvhost_wire_put_pointer(&call.writer, handle_in_out);
    mvhost_wire_put_u64(&call.writer, current);

    if (kind != HANDLE_OTHER && handle_in_out != NULL && mvhost_call_try_local(&call)) {
        if (can_close_locally(kind, current)) {
            forget_handle(kind, current);
            store_handle(handle_in_out, 0);
            mvhost_wire_put_u32(&call.answer, MV_STATUS_OKAY);
            mvhost_wire_put_u64(&call.answer, 0);
            return (enum MvStatus)mvhost_call_end_local(&call, MV_STATUS_OKAY);
        }
        mvhost_call_decline_local(&call);
    }

    if (mvhost_call_exchange(&call) && mvhost_take_u64(&call, &value) && handle_in_out != NULL) {
        store_handle(handle_in_out, value);
    }
    /* Still under the lock: after OKAY or INVALIDHANDLE the kernel no longer has the handle. */
    if (!call.failed && (call.status == MV_STATUS_OKAY || call.status == MV_STATUS_INVALIDHANDLE)) {
        forget_handle(kind, current);
    }
    return finish(&call);
}

/* Calls that create a handle through an output pointer and take no other argument. */
static enum MvStatus open_handle(uint16_t opcode, const char *function, void *handle_out)
{
    struct mvhost_call call;
    uint64_t value;
    mvhost_call_begin(&call, opcode, function);
    mvhost_wire_put_pointer(&call.writer, handle_out);
    if (mvhost_call_exchange(&call) && mvhost_take_u64(&call, &value) && handle_out != NULL) {
        store_handle(handle_out, value);
    }
    return finish(&call);
}

/* Calls that read bytes into an app buffer: the request carries its address and size. */
static enum MvStatus read_into_buffer(struct mvhost_call *call, uint8_t *buffer, uint32_t size)
{
    if (mvhost_call_exchange(call)) {
        (void)mvhost_take_bytes(call, buffer, buffer != NULL ? size : 0, NULL);
    }
    return finish(call);
}

/* ---- Clocks, identity, registers ---- */

enum MvStatus mvNoOp(void)
{
    struct mvhost_call call;
    mvhost_call_begin(&call, MVHOST_OP_NO_OP, __func__);
    (void)mvhost_call_exchange(&call);
    return finish(&call);
}

enum MvStatus mvGetMicroseconds(uint64_t *ms)
{
    return pointer_out_u64(MVHOST_OP_GET_MICROSECONDS, __func__, ms);
}

enum MvStatus mvGetSysClk(uint32_t *hz)
{
    return pointer_out_u32(MVHOST_OP_GET_SYS_CLK, __func__, hz);
}

enum MvStatus mvGetHClk(uint32_t *hz)
{
    return pointer_out_u32(MVHOST_OP_GET_H_CLK, __func__, hz);
}

enum MvStatus mvGetPClk1(uint32_t *hz)
{
    return pointer_out_u32(MVHOST_OP_GET_P_CLK1, __func__, hz);
}

enum MvStatus mvGetPClk2(uint32_t *hz)
{
    return pointer_out_u32(MVHOST_OP_GET_P_CLK2, __func__, hz);
}

enum MvStatus mvGetWallTime(uint64_t *usec)
{
    return pointer_out_u64(MVHOST_OP_GET_WALL_TIME, __func__, usec);
}

enum MvStatus mvGetDeviceId(uint8_t *buf, uint32_t len)
{
    struct mvhost_call call;
    mvhost_call_begin(&call, MVHOST_OP_GET_DEVICE_ID, __func__);
    mvhost_wire_put_pointer(&call.writer, buf);
    mvhost_wire_put_u32(&call.writer, len);
    return read_into_buffer(&call, buf, len);
}

enum MvStatus mvPeriphPeek32(uint32_t reg, uint32_t *output)
{
    struct mvhost_call call;
    uint32_t value;
    mvhost_call_begin(&call, MVHOST_OP_PERIPH_PEEK32, __func__);
    mvhost_wire_put_u32(&call.writer, reg);
    mvhost_wire_put_pointer(&call.writer, output);
    if (mvhost_call_exchange(&call) && mvhost_take_u32(&call, &value) && output != NULL) {
        *output = value;
    }
    return finish(&call);
}

enum MvStatus mvPeriphPoke32(uint32_t reg, uint32_t mask, uint32_t xorvalue)
{
    return scalars_only(MVHOST_OP_PERIPH_POKE32, __func__, 3, reg, mask, xorvalue);
}

/* ---- Notifications and fast interrupts ---- */

/*
 * The kernel's ring and interrupt rules for mvSetupNotifications, from Notifications.java and
 * IrqNumbers.java. A ring takes 32 bytes to 64 KiB in whole 16-byte records. The interrupt is a
 * peripheral interrupt of the STM32U585 (0 to 124) that is not one of the secure world's.
 */
#define RING_RECORD_BYTES 16u
#define RING_MIN_BYTES (2u * RING_RECORD_BYTES)
#define RING_MAX_BYTES (4096u * RING_RECORD_BYTES)
#define MAX_APP_IRQ 124u

static int irq_available_to_app(uint32_t irq)
{
    /* RTC_S, FLASH_S, GTZC, RCC_S and SAES belong to the secure world. */
    static const uint32_t secure_only[] = {3, 7, 8, 10, 28};
    if (irq > MAX_APP_IRQ) {
        return 0;
    }
    for (size_t i = 0; i < sizeof secure_only / sizeof secure_only[0]; i++) {
        if (irq == secure_only[i]) {
            return 0;
        }
    }
    return 1;
}

/*
 * Returns 1 when the kernel's argument checks pass: every pointer present, a ring that does not
 * wrap the address space, a valid size and an interrupt the app may use. Whether the ring or the
 * interrupt is in use comes from the kernel, in its RESERVED_HANDLES state.
 */
static int setup_arguments_valid(const struct MvNotificationSetup *notifications, const void *handle_out)
{
    if (notifications == NULL || handle_out == NULL || notifications->buffer == NULL) {
        return 0;
    }
    uint64_t address = HANDLE(notifications->buffer);
    uint32_t size = notifications->buffer_size;
    if (address + size < address) {
        return 0;
    }
    if (size < RING_MIN_BYTES || size % RING_RECORD_BYTES != 0 || size > RING_MAX_BYTES) {
        return 0;
    }
    return irq_available_to_app(notifications->irq);
}

/* Registers the ring under the centre's handle, before any notification for it can arrive. Lock held. */
static void centre_opened(const struct MvNotificationSetup *notifications, uint64_t handle)
{
    mvhost_rings_register(handle, HANDLE(notifications->buffer), notifications->buffer_size, notifications->irq);
    mvhost_local_centre_opened(handle, HANDLE(notifications->buffer), notifications->buffer_size);
}

enum MvStatus mvSetupNotifications(const struct MvNotificationSetup *notifications,
                                   MvNotificationHandle *handle_out)
{
    struct mvhost_call call;
    uint64_t handle;
    mvhost_call_begin(&call, MVHOST_OP_SETUP_NOTIFICATIONS, __func__);
    mvhost_wire_put_pointer(&call.writer, notifications);
    mvhost_wire_put_u32(&call.writer, notifications != NULL ? notifications->irq : 0);
    mvhost_wire_put_pointer(&call.writer, notifications != NULL ? notifications->buffer : NULL);
    mvhost_wire_put_u32(&call.writer, notifications != NULL ? notifications->buffer_size : 0);
    mvhost_wire_put_pointer(&call.writer, handle_out);

    /* With valid arguments and no buffer in use in the kernel, the kernel returns OKAY and a reserved handle. */
    if (setup_arguments_valid(notifications, handle_out) && mvhost_call_try_local(&call)) {
        if (mvhost_local_take_centre_handle(&handle)) {
            *handle_out = (MvNotificationHandle)(uintptr_t)handle;
            centre_opened(notifications, handle);
            mvhost_wire_put_u32(&call.answer, MV_STATUS_OKAY);
            mvhost_wire_put_u64(&call.answer, handle);
            return (enum MvStatus)mvhost_call_end_local(&call, MV_STATUS_OKAY);
        }
        mvhost_call_decline_local(&call);
    }

    if (mvhost_call_exchange(&call) && mvhost_take_u64(&call, &handle) && handle_out != NULL) {
        *handle_out = (MvNotificationHandle)(uintptr_t)handle;
        if (call.status == MV_STATUS_OKAY && notifications != NULL) {
            centre_opened(notifications, handle);
        }
    }
    return finish(&call);
}

enum MvStatus mvCloseNotifications(MvNotificationHandle *handle_in_out)
{
    return close_handle(MVHOST_OP_CLOSE_NOTIFICATIONS, __func__, (void *)handle_in_out, HANDLE_CENTRE);
}

enum MvStatus mvTempTriggerNotification(MvNotificationHandle handle, enum MvEventType type, uint32_t tag)
{
    struct mvhost_call call;
    mvhost_call_begin(&call, MVHOST_OP_TEMP_TRIGGER_NOTIFICATION, __func__);
    mvhost_wire_put_u64(&call.writer, HANDLE(handle));
    mvhost_wire_put_u32(&call.writer, (uint32_t)type);
    mvhost_wire_put_u32(&call.writer, tag);
    (void)mvhost_call_exchange(&call);
    return finish(&call);
}

enum MvStatus mvSetFastInterrupt(uint32_t irqn)
{
    return scalars_only(MVHOST_OP_SET_FAST_INTERRUPT, __func__, 1, irqn, 0, 0);
}

enum MvStatus mvClearFastInterrupt(uint32_t irqn)
{
    return scalars_only(MVHOST_OP_CLEAR_FAST_INTERRUPT, __func__, 1, irqn, 0, 0);
}

enum MvStatus mvEnableFastInterrupt(uint32_t irqn)
{
    return scalars_only(MVHOST_OP_ENABLE_FAST_INTERRUPT, __func__, 1, irqn, 0, 0);
}

enum MvStatus mvDisableFastInterrupt(uint32_t irqn)
{
    return scalars_only(MVHOST_OP_DISABLE_FAST_INTERRUPT, __func__, 1, irqn, 0, 0);
}

enum MvStatus mvDisableAllFastInterrupts(void)
{
    return scalars_only(MVHOST_OP_DISABLE_ALL_FAST_INTERRUPTS, __func__, 0, 0, 0, 0);
}

enum MvStatus mvEnableAllFastInterrupts(void)
{
    return scalars_only(MVHOST_OP_ENABLE_ALL_FAST_INTERRUPTS, __func__, 0, 0, 0, 0);
}

/* ---- Network ---- */

enum MvStatus mvRequestNetwork(const struct MvRequestNetworkParams *params, MvNetworkHandle *handle)
{
    struct mvhost_call call;
    uint64_t value;
    mvhost_call_begin(&call, MVHOST_OP_REQUEST_NETWORK, __func__);
    mvhost_wire_put_pointer(&call.writer, params);
    mvhost_wire_put_u32(&call.writer, params != NULL ? params->version : 0);
    mvhost_wire_put_u64(&call.writer, params != NULL ? HANDLE(params->v1.notification_handle) : 0);
    mvhost_wire_put_u32(&call.writer, params != NULL ? params->v1.notification_tag : 0);
    mvhost_wire_put_pointer(&call.writer, handle);

    /* The kernel checks only the pointers, the version and the centre, which libmvhost tracks. */
    if (params != NULL && handle != NULL && params->version == 1 && mvhost_call_try_local(&call)) {
        if (mvhost_local_take_network_handle(HANDLE(params->v1.notification_handle), &value)) {
            /* The kernel may schedule the connect when it replays this request. */
            mvhost_device_clock_quiet_revoke();
            *handle = (MvNetworkHandle)(uintptr_t)value;
            mvhost_wire_put_u32(&call.answer, MV_STATUS_OKAY);
            mvhost_wire_put_u64(&call.answer, value);
            return (enum MvStatus)mvhost_call_end_local(&call, MV_STATUS_OKAY);
        }
        mvhost_call_decline_local(&call);
    }

    if (mvhost_call_exchange(&call) && mvhost_take_u64(&call, &value) && handle != NULL) {
        *handle = (MvNetworkHandle)(uintptr_t)value;
        if (call.status == MV_STATUS_OKAY) {
            mvhost_local_network_requested(value);
        }
    }
    return finish(&call);
}

enum MvStatus mvReleaseNetwork(MvNetworkHandle *handle)
{
    return close_handle(MVHOST_OP_RELEASE_NETWORK, __func__, (void *)handle, HANDLE_NETWORK);
}

enum MvStatus mvGetNetworkStatus(MvNetworkHandle handle, enum MvNetworkStatus *status)
{
    struct mvhost_call call;
    uint32_t value;
    mvhost_call_begin(&call, MVHOST_OP_GET_NETWORK_STATUS, __func__);
    mvhost_wire_put_u64(&call.writer, HANDLE(handle));
    mvhost_wire_put_pointer(&call.writer, status);

    /* On a wall clock the status can change between the kernel's NETWORK state and this call, so the kernel decides. */
    if (status != NULL && mvhost_call_try_local(&call)) {
        if (mvhost_device_clock_kind() == MVHOST_CLOCK_VIRTUAL && mvhost_local_network_status(HANDLE(handle), &value)) {
            *status = (enum MvNetworkStatus)value;
            mvhost_wire_put_u32(&call.answer, MV_STATUS_OKAY);
            mvhost_wire_put_u32(&call.answer, value);
            return (enum MvStatus)mvhost_call_end_local(&call, MV_STATUS_OKAY);
        }
        mvhost_call_decline_local(&call);
    }

    if (mvhost_call_exchange(&call) && mvhost_take_u32(&call, &value) && status != NULL) {
        *status = (enum MvNetworkStatus)value;
    }
    return finish(&call);
}

enum MvStatus mvGetNetworkReasons(enum MvNetworkReason *reasons, uint32_t *request_ref_count)
{
    struct mvhost_call call;
    uint32_t value;
    mvhost_call_begin(&call, MVHOST_OP_GET_NETWORK_REASONS, __func__);
    mvhost_wire_put_pointer(&call.writer, reasons);
    mvhost_wire_put_pointer(&call.writer, request_ref_count);
    if (mvhost_call_exchange(&call)) {
        if (mvhost_take_u32(&call, &value) && reasons != NULL) {
            *reasons = (enum MvNetworkReason)value;
        }
        if (mvhost_take_u32(&call, &value) && request_ref_count != NULL) {
            *request_ref_count = value;
        }
    }
    return finish(&call);
}

/* ---- Channels ---- */

/*
 * The kernel's buffer rules for mvOpenChannel, from Channels.java: the send buffer is aligned to
 * 512 bytes, and both buffers are whole multiples of 512 bytes, at least one.
 */
#define CHANNEL_BUFFER_UNIT 512u

static int channel_buffer_size_valid(uint32_t size)
{
    return size >= CHANNEL_BUFFER_UNIT && size % CHANNEL_BUFFER_UNIT == 0;
}

/* Returns 1 when the region is present and does not wrap the address space. */
static int region_valid(const void *buffer, uint32_t size)
{
    uint64_t address = HANDLE(buffer);
    return buffer != NULL && address + size >= address;
}

static struct mvhost_channel_buffers channel_buffers(const struct MvOpenChannelParams *params)
{
    struct mvhost_channel_buffers buffers = {
        .receive_address = HANDLE(params->v1.receive_buffer),
        .receive_size = params->v1.receive_buffer_len,
        .send_address = HANDLE(params->v1.send_buffer),
        .send_size = params->v1.send_buffer_len,
    };
    return buffers;
}

/*
 * Returns 1 when every argument check of the kernel passes: both pointers present, version 1,
 * buffers present that do not wrap, do not overlap each other and follow the alignment and size
 * rules, a config-fetch channel and no endpoint. Whether the handles are live, the buffers are in
 * use, the network is connected and the limits allow an open comes from the kernel's states.
 */
static int open_arguments_valid(const struct MvOpenChannelParams *params, const void *handle_out)
{
    if (params == NULL || handle_out == NULL || params->version != 1) {
        return 0;
    }
    const void *receive = params->v1.receive_buffer;
    const void *send = params->v1.send_buffer;
    uint32_t receive_size = params->v1.receive_buffer_len;
    uint32_t send_size = params->v1.send_buffer_len;
    if (!region_valid(receive, receive_size) || !region_valid(send, send_size)) {
        return 0;
    }
    if (params->v1.channel_type != MV_CHANNELTYPE_CONFIGFETCH || params->v1.endpoint.length != 0) {
        return 0;
    }
    if (HANDLE(send) % CHANNEL_BUFFER_UNIT != 0 || !channel_buffer_size_valid(send_size) ||
        !channel_buffer_size_valid(receive_size)) {
        return 0;
    }
    uint64_t receive_address = HANDLE(receive);
    uint64_t send_address = HANDLE(send);
    return receive_address + receive_size <= send_address || send_address + send_size <= receive_address;
}

/*
 * Answers mvOpenChannel with a reserved handle when the kernel would return OKAY: the arguments are
 * valid, the clock is virtual and the network request's cached status is CONNECTED, and the kernel's
 * states show the buffers free and the limits open. Called with the transport lock held. Returns 1
 * when answered.
 */
static int open_channel_locally(struct mvhost_call *call, const struct MvOpenChannelParams *params,
                                MvChannelHandle *handle)
{
    uint32_t network_status;
    uint64_t now_us;
    uint64_t value;
    uint64_t network = HANDLE(params->v1.network_handle);
    if (mvhost_device_clock_kind() != MVHOST_CLOCK_VIRTUAL || !mvhost_device_clock_read(&now_us) ||
        !mvhost_local_network_status(network, &network_status) || network_status != MV_NETWORKSTATUS_CONNECTED) {
        return 0;
    }
    struct mvhost_channel_buffers buffers = channel_buffers(params);
    if (!mvhost_local_take_channel_handle(HANDLE(params->v1.notification_handle), params->v1.notification_tag, network,
                                          &buffers, now_us, &value)) {
        return 0;
    }

    *handle = (MvChannelHandle)(uintptr_t)value;
    mvhost_wire_put_u32(&call->answer, MV_STATUS_OKAY);
    mvhost_wire_put_u64(&call->answer, value);
    return 1;
}

enum MvStatus mvOpenChannel(const struct MvOpenChannelParams *params, MvChannelHandle *handle)
{
    struct mvhost_call call;
    uint64_t value;
    mvhost_call_begin(&call, MVHOST_OP_OPEN_CHANNEL, __func__);
    mvhost_wire_put_pointer(&call.writer, params);
    mvhost_wire_put_u32(&call.writer, params != NULL ? params->version : 0);
    mvhost_wire_put_u64(&call.writer, params != NULL ? HANDLE(params->v1.notification_handle) : 0);
    mvhost_wire_put_u32(&call.writer, params != NULL ? params->v1.notification_tag : 0);
    mvhost_wire_put_u64(&call.writer, params != NULL ? HANDLE(params->v1.network_handle) : 0);
    mvhost_wire_put_pointer(&call.writer, params != NULL ? params->v1.receive_buffer : NULL);
    mvhost_wire_put_u32(&call.writer, params != NULL ? params->v1.receive_buffer_len : 0);
    mvhost_wire_put_pointer(&call.writer, params != NULL ? params->v1.send_buffer : NULL);
    mvhost_wire_put_u32(&call.writer, params != NULL ? params->v1.send_buffer_len : 0);
    mvhost_wire_put_u32(&call.writer, params != NULL ? (uint32_t)params->v1.channel_type : 0);
    put_sized_string(&call.writer, params != NULL ? &params->v1.endpoint : NULL);
    mvhost_wire_put_pointer(&call.writer, handle);

    if (open_arguments_valid(params, handle) && mvhost_call_try_local(&call)) {
        if (open_channel_locally(&call, params, handle)) {
            return (enum MvStatus)mvhost_call_end_local(&call, MV_STATUS_OKAY);
        }
        mvhost_call_decline_local(&call);
    }

    if (mvhost_call_exchange(&call) && mvhost_take_u64(&call, &value) && handle != NULL) {
        *handle = (MvChannelHandle)(uintptr_t)value;
        if (call.status == MV_STATUS_OKAY && params != NULL) {
            struct mvhost_channel_buffers buffers = channel_buffers(params);
            mvhost_local_channel_opened(value, HANDLE(params->v1.notification_handle), params->v1.notification_tag,
                                        HANDLE(params->v1.network_handle), &buffers);
        }
    }
    return finish(&call);
}

enum MvStatus mvReadChannel(MvChannelHandle handle, uint8_t **read_pointer_out, uint32_t *length_out)
{
    struct mvhost_call call;
    uint64_t address;
    uint32_t length;
    mvhost_call_begin(&call, MVHOST_OP_READ_CHANNEL, __func__);
    mvhost_wire_put_u64(&call.writer, HANDLE(handle));
    mvhost_wire_put_pointer(&call.writer, read_pointer_out);
    mvhost_wire_put_pointer(&call.writer, length_out);
    if (mvhost_call_exchange(&call)) {
        if (mvhost_take_u64(&call, &address) && read_pointer_out != NULL) {
            *read_pointer_out = (uint8_t *)(uintptr_t)address;
        }
        if (mvhost_take_u32(&call, &length) && length_out != NULL) {
            *length_out = length;
        }
    }
    return finish(&call);
}

enum MvStatus mvReadChannelComplete(MvChannelHandle handle, uint32_t consumed)
{
    struct mvhost_call call;
    mvhost_call_begin(&call, MVHOST_OP_READ_CHANNEL_COMPLETE, __func__);
    mvhost_wire_put_u64(&call.writer, HANDLE(handle));
    mvhost_wire_put_u32(&call.writer, consumed);
    (void)mvhost_call_exchange(&call);
    return finish(&call);
}

static enum MvStatus write_channel(uint16_t opcode, const char *function, MvChannelHandle handle,
                                   const uint8_t *data, uint32_t len, uint32_t *count_out)
{
    struct mvhost_call call;
    uint32_t value;
    mvhost_call_begin(&call, opcode, function);
    mvhost_wire_put_u64(&call.writer, HANDLE(handle));
    mvhost_wire_put_pointer(&call.writer, data);
    mvhost_wire_put_u32(&call.writer, len);
    put_input_bytes(&call.writer, data, len);
    mvhost_wire_put_pointer(&call.writer, count_out);
    if (mvhost_call_exchange(&call) && mvhost_take_u32(&call, &value) && count_out != NULL) {
        *count_out = value;
    }
    return finish(&call);
}

enum MvStatus mvWriteChannelStream(MvChannelHandle handle, const uint8_t *data, uint32_t len, uint32_t *written)
{
    return write_channel(MVHOST_OP_WRITE_CHANNEL_STREAM, __func__, handle, data, len, written);
}

enum MvStatus mvWriteChannel(MvChannelHandle handle, const uint8_t *data, uint32_t len, uint32_t *available)
{
    return write_channel(MVHOST_OP_WRITE_CHANNEL, __func__, handle, data, len, available);
}

enum MvStatus mvCloseChannel(MvChannelHandle *handle)
{
    return close_handle(MVHOST_OP_CLOSE_CHANNEL, __func__, (void *)handle, HANDLE_CHANNEL);
}

enum MvStatus mvGetChannelClosureReason(MvChannelHandle handle, enum MvClosureReason *reason_out)
{
    struct mvhost_call call;
    uint32_t value;
    mvhost_call_begin(&call, MVHOST_OP_GET_CHANNEL_CLOSURE_REASON, __func__);
    mvhost_wire_put_u64(&call.writer, HANDLE(handle));
    mvhost_wire_put_pointer(&call.writer, reason_out);
    if (mvhost_call_exchange(&call) && mvhost_take_u32(&call, &value) && reason_out != NULL) {
        *reason_out = (enum MvClosureReason)value;
    }
    return finish(&call);
}

/* ---- HTTP ---- */

enum MvStatus mvSendHttpRequest(MvChannelHandle handle, const struct MvHttpRequest *request)
{
    struct mvhost_call call;
    mvhost_call_begin(&call, MVHOST_OP_SEND_HTTP_REQUEST, __func__);
    mvhost_wire_put_u64(&call.writer, HANDLE(handle));
    mvhost_wire_put_pointer(&call.writer, request);
    put_sized_string(&call.writer, request != NULL ? &request->method : NULL);
    put_sized_string(&call.writer, request != NULL ? &request->url : NULL);
    mvhost_wire_put_u32(&call.writer, request != NULL ? request->num_headers : 0);
    mvhost_wire_put_pointer(&call.writer, request != NULL ? request->headers : NULL);

    /* Headers travel only when the array is present and within the list maximum; the kernel checks the count. */
    uint32_t headers = 0;
    if (request != NULL && request->headers != NULL && request->num_headers <= MVHOST_WIRE_MAX_LIST_ELEMENTS) {
        headers = request->num_headers;
    }
    mvhost_wire_put_list(&call.writer, headers, 3);
    for (uint32_t i = 0; i < headers; i++) {
        const struct MvHttpHeader *header = &request->headers[i];
        mvhost_wire_put_u32(&call.writer, header->length);
        mvhost_wire_put_pointer(&call.writer, header->data);
        put_input_bytes(&call.writer, header->data, header->length);
    }

    put_sized_string(&call.writer, request != NULL ? &request->body : NULL);
    mvhost_wire_put_u32(&call.writer, request != NULL ? request->timeout_ms : 0);
    (void)mvhost_call_exchange(&call);
    return finish(&call);
}

enum MvStatus mvReadHttpResponseData(MvChannelHandle handle, struct MvHttpResponseData *response_data)
{
    struct mvhost_call call;
    uint32_t value;
    mvhost_call_begin(&call, MVHOST_OP_READ_HTTP_RESPONSE_DATA, __func__);
    mvhost_wire_put_u64(&call.writer, HANDLE(handle));
    mvhost_wire_put_pointer(&call.writer, response_data);
    if (mvhost_call_exchange(&call)) {
        if (mvhost_take_u32(&call, &value) && response_data != NULL) {
            response_data->result = (enum MvHttpResult)value;
        }
        if (mvhost_take_u32(&call, &value) && response_data != NULL) {
            response_data->status_code = value;
        }
        if (mvhost_take_u32(&call, &value) && response_data != NULL) {
            response_data->num_headers = value;
        }
        if (mvhost_take_u32(&call, &value) && response_data != NULL) {
            response_data->body_length = value;
        }
    }
    return finish(&call);
}

static enum MvStatus read_http(uint16_t opcode, const char *function, MvChannelHandle handle, uint32_t index,
                               uint8_t *buf, uint32_t size)
{
    struct mvhost_call call;
    mvhost_call_begin(&call, opcode, function);
    mvhost_wire_put_u64(&call.writer, HANDLE(handle));
    mvhost_wire_put_u32(&call.writer, index);
    mvhost_wire_put_pointer(&call.writer, buf);
    mvhost_wire_put_u32(&call.writer, size);
    return read_into_buffer(&call, buf, size);
}

enum MvStatus mvReadHttpResponseHeader(MvChannelHandle handle, uint32_t header_index, uint8_t *buf, uint32_t size)
{
    return read_http(MVHOST_OP_READ_HTTP_RESPONSE_HEADER, __func__, handle, header_index, buf, size);
}

enum MvStatus mvReadHttpResponseBody(MvChannelHandle handle, uint32_t offset, uint8_t *buf, uint32_t size)
{
    return read_http(MVHOST_OP_READ_HTTP_RESPONSE_BODY, __func__, handle, offset, buf, size);
}

/* ---- Logging ---- */

static enum MvStatus buffer_and_size(uint16_t opcode, const char *function, const void *buffer, uint32_t size)
{
    struct mvhost_call call;
    mvhost_call_begin(&call, opcode, function);
    mvhost_wire_put_pointer(&call.writer, buffer);
    mvhost_wire_put_u32(&call.writer, size);
    (void)mvhost_call_exchange(&call);
    return finish(&call);
}

static enum MvStatus log_message(uint16_t opcode, const char *function, const uint8_t *message, uint16_t length)
{
    struct mvhost_call call;
    mvhost_call_begin(&call, opcode, function);
    mvhost_wire_put_pointer(&call.writer, message);
    mvhost_wire_put_u32(&call.writer, length);
    put_input_bytes(&call.writer, message, length);
    (void)mvhost_call_exchange(&call);
    return finish(&call);
}

enum MvStatus mvServerLoggingInit(uint8_t *buffer, uint32_t length_bytes)
{
    return buffer_and_size(MVHOST_OP_SERVER_LOGGING_INIT, __func__, buffer, length_bytes);
}

enum MvStatus mvServerLog(const uint8_t *message, uint16_t length_bytes)
{
    return log_message(MVHOST_OP_SERVER_LOG, __func__, message, length_bytes);
}

/* ---- Config fetch ---- */

enum MvStatus mvSendConfigFetchRequest(MvChannelHandle handle, const struct MvConfigKeyFetchParams *request)
{
    struct mvhost_call call;
    mvhost_call_begin(&call, MVHOST_OP_SEND_CONFIG_FETCH_REQUEST, __func__);
    mvhost_wire_put_u64(&call.writer, HANDLE(handle));
    mvhost_wire_put_pointer(&call.writer, request);
    mvhost_wire_put_u32(&call.writer, request != NULL ? request->num_items : 0);
    mvhost_wire_put_pointer(&call.writer, request != NULL ? request->keys_to_fetch : NULL);

    /* Keys travel only when the array is present and within the list maximum; the kernel checks the count. */
    uint32_t keys = 0;
    if (request != NULL && request->keys_to_fetch != NULL && request->num_items <= MVHOST_WIRE_MAX_LIST_ELEMENTS) {
        keys = request->num_items;
    }
    mvhost_wire_put_list(&call.writer, keys, 5);
    for (uint32_t i = 0; i < keys; i++) {
        const struct MvConfigKeyToFetch *key = &request->keys_to_fetch[i];
        mvhost_wire_put_u32(&call.writer, (uint32_t)key->scope);
        mvhost_wire_put_u32(&call.writer, (uint32_t)key->store);
        put_sized_string(&call.writer, &key->key);
    }
    if (mvhost_call_exchange(&call) && call.status == MV_STATUS_OKAY) {
        mvhost_local_fetch_sent(HANDLE(handle));
    }
    return finish(&call);
}

/* Returns 1 when `size` bytes from `data` run past the top of the address space, as the kernel checks. */
static int wraps_around(const void *data, uint32_t size)
{
    return UINT64_MAX - HANDLE(data) < size;
}

enum MvStatus mvReadConfigFetchResponseData(MvChannelHandle handle, struct MvConfigResponseData *response_data)
{
    struct mvhost_call call;
    uint32_t value;
    mvhost_call_begin(&call, MVHOST_OP_READ_CONFIG_FETCH_RESPONSE_DATA, __func__);
    mvhost_wire_put_u64(&call.writer, HANDLE(handle));
    mvhost_wire_put_pointer(&call.writer, response_data);

    if (response_data != NULL && mvhost_call_try_local(&call)) {
        uint32_t result;
        uint32_t item_count;
        if (mvhost_local_response_data(HANDLE(handle), &result, &item_count)) {
            response_data->result = (enum MvConfigFetchResult)result;
            response_data->num_items = item_count;
            mvhost_wire_put_u32(&call.answer, MV_STATUS_OKAY);
            mvhost_wire_put_u32(&call.answer, result);
            mvhost_wire_put_u32(&call.answer, item_count);
            return (enum MvStatus)mvhost_call_end_local(&call, MV_STATUS_OKAY);
        }
        mvhost_call_decline_local(&call);
    }

    if (mvhost_call_exchange(&call)) {
        if (mvhost_take_u32(&call, &value) && response_data != NULL) {
            response_data->result = (enum MvConfigFetchResult)value;
        }
        if (mvhost_take_u32(&call, &value) && response_data != NULL) {
            response_data->num_items = value;
        }
    }
    return finish(&call);
}

/* Fills in an item read from the cached response when the kernel would return OKAY. The lock is held. */
static int read_item_locally(struct mvhost_call *call, uint64_t handle,
                             const struct MvConfigResponseReadItemParams *params)
{
    uint32_t result;
    const uint8_t *value;
    uint32_t length;
    if (!mvhost_local_item(handle, params->item_index, params->buf.size, &result, &value, &length)) {
        return 0;
    }
    *params->result = (enum MvConfigKeyFetchResult)result;
    if (length > 0) {
        memcpy(params->buf.data, value, length);
    }
    *params->buf.length = length;

    mvhost_wire_put_u32(&call->answer, MV_STATUS_OKAY);
    mvhost_wire_put_u32(&call->answer, result);
    mvhost_wire_put_bytes(&call->answer, value, length);
    mvhost_wire_put_u32(&call->answer, length);
    return 1;
}

enum MvStatus mvReadConfigResponseItem(MvChannelHandle handle, const struct MvConfigResponseReadItemParams *params)
{
    struct mvhost_call call;
    uint32_t value;
    mvhost_call_begin(&call, MVHOST_OP_READ_CONFIG_RESPONSE_ITEM, __func__);
    mvhost_wire_put_u64(&call.writer, HANDLE(handle));
    mvhost_wire_put_pointer(&call.writer, params);
    mvhost_wire_put_u32(&call.writer, params != NULL ? params->item_index : 0);
    mvhost_wire_put_pointer(&call.writer, params != NULL ? params->result : NULL);
    mvhost_wire_put_pointer(&call.writer, params != NULL ? params->buf.data : NULL);
    mvhost_wire_put_u32(&call.writer, params != NULL ? params->buf.size : 0);
    mvhost_wire_put_pointer(&call.writer, params != NULL ? params->buf.length : NULL);

    /* Every pointer the kernel checks must be present and the buffer must not wrap; else the kernel decides. */
    int pointers_valid = params != NULL && params->result != NULL && params->buf.data != NULL &&
                         params->buf.length != NULL && !wraps_around(params->buf.data, params->buf.size);
    if (pointers_valid && mvhost_call_try_local(&call)) {
        if (read_item_locally(&call, HANDLE(handle), params)) {
            return (enum MvStatus)mvhost_call_end_local(&call, MV_STATUS_OKAY);
        }
        mvhost_call_decline_local(&call);
    }

    if (mvhost_call_exchange(&call)) {
        int usable = params != NULL;
        if (mvhost_take_u32(&call, &value) && usable && params->result != NULL) {
            *params->result = (enum MvConfigKeyFetchResult)value;
        }
        uint8_t *data = usable ? params->buf.data : NULL;
        (void)mvhost_take_bytes(&call, data, data != NULL ? params->buf.size : 0, NULL);
        if (mvhost_take_u32(&call, &value) && usable && params->buf.length != NULL) {
            *params->buf.length = value;
        }
    }
    return finish(&call);
}

/* ---- MQTT: nested structs stay in app memory; only the top-level arguments travel ---- */

enum MvStatus mvMqttGetNextReadableDataType(MvChannelHandle handle, enum MvMqttReadableDataType *data_type)
{
    struct mvhost_call call;
    uint32_t value;
    mvhost_call_begin(&call, MVHOST_OP_MQTT_GET_NEXT_READABLE_DATA_TYPE, __func__);
    mvhost_wire_put_u64(&call.writer, HANDLE(handle));
    mvhost_wire_put_pointer(&call.writer, data_type);
    if (mvhost_call_exchange(&call) && mvhost_take_u32(&call, &value) && data_type != NULL) {
        *data_type = (enum MvMqttReadableDataType)value;
    }
    return finish(&call);
}

enum MvStatus mvMqttRequestConnect(MvChannelHandle handle, const struct MvMqttConnectRequest *request)
{
    return handle_and_pointer(MVHOST_OP_MQTT_REQUEST_CONNECT, __func__, HANDLE(handle), request);
}

enum MvStatus mvMqttReadConnectResponse(MvChannelHandle handle, struct MvMqttConnectResponse *response_data)
{
    return handle_and_pointer(MVHOST_OP_MQTT_READ_CONNECT_RESPONSE, __func__, HANDLE(handle), response_data);
}

enum MvStatus mvMqttRequestSubscribe(MvChannelHandle handle, const struct MvMqttSubscribeRequest *request)
{
    return handle_and_pointer(MVHOST_OP_MQTT_REQUEST_SUBSCRIBE, __func__, HANDLE(handle), request);
}

enum MvStatus mvMqttReadSubscribeResponse(MvChannelHandle handle,
                                          const struct MvMqttSubscribeResponse *response_data)
{
    return handle_and_pointer(MVHOST_OP_MQTT_READ_SUBSCRIBE_RESPONSE, __func__, HANDLE(handle), response_data);
}

enum MvStatus mvMqttRequestUnsubscribe(MvChannelHandle handle, const struct MvMqttUnsubscribeRequest *request)
{
    return handle_and_pointer(MVHOST_OP_MQTT_REQUEST_UNSUBSCRIBE, __func__, HANDLE(handle), request);
}

enum MvStatus mvMqttReadUnsubscribeResponse(MvChannelHandle handle,
                                            const struct MvMqttUnsubscribeResponse *response_data)
{
    return handle_and_pointer(MVHOST_OP_MQTT_READ_UNSUBSCRIBE_RESPONSE, __func__, HANDLE(handle), response_data);
}

enum MvStatus mvMqttRequestPublish(MvChannelHandle handle, const struct MvMqttPublishRequest *request)
{
    return handle_and_pointer(MVHOST_OP_MQTT_REQUEST_PUBLISH, __func__, HANDLE(handle), request);
}

enum MvStatus mvMqttReadPublishResponse(MvChannelHandle handle, struct MvMqttPublishResponse *response_data)
{
    return handle_and_pointer(MVHOST_OP_MQTT_READ_PUBLISH_RESPONSE, __func__, HANDLE(handle), response_data);
}

enum MvStatus mvMqttReceiveMessage(MvChannelHandle handle, const struct MvMqttMessage *message_data)
{
    return handle_and_pointer(MVHOST_OP_MQTT_RECEIVE_MESSAGE, __func__, HANDLE(handle), message_data);
}

enum MvStatus mvMqttReceiveLostMessageInfo(MvChannelHandle handle,
                                           const struct MvMqttLostMessageInfo *lost_message_info)
{
    return handle_and_pointer(MVHOST_OP_MQTT_RECEIVE_LOST_MESSAGE_INFO, __func__, HANDLE(handle),
                              lost_message_info);
}

enum MvStatus mvMqttAcknowledgeMessage(MvChannelHandle handle, uint32_t correlation_id)
{
    struct mvhost_call call;
    mvhost_call_begin(&call, MVHOST_OP_MQTT_ACKNOWLEDGE_MESSAGE, __func__);
    mvhost_wire_put_u64(&call.writer, HANDLE(handle));
    mvhost_wire_put_u32(&call.writer, correlation_id);
    (void)mvhost_call_exchange(&call);
    return finish(&call);
}

enum MvStatus mvMqttRequestDisconnect(MvChannelHandle handle)
{
    struct mvhost_call call;
    mvhost_call_begin(&call, MVHOST_OP_MQTT_REQUEST_DISCONNECT, __func__);
    mvhost_wire_put_u64(&call.writer, HANDLE(handle));
    (void)mvhost_call_exchange(&call);
    return finish(&call);
}

enum MvStatus mvMqttReadDisconnectResponse(MvChannelHandle handle, struct MvMqttDisconnectResponse *response_data)
{
    return handle_and_pointer(MVHOST_OP_MQTT_READ_DISCONNECT_RESPONSE, __func__, HANDLE(handle), response_data);
}

/* ---- Application test mode ---- */

enum MvStatus mvTestingComplete(uint32_t status)
{
    return scalars_only(MVHOST_OP_TESTING_COMPLETE, __func__, 1, status, 0, 0);
}

enum MvStatus mvTestLoggingInit(uint8_t *buffer, uint32_t length_bytes)
{
    return buffer_and_size(MVHOST_OP_TEST_LOGGING_INIT, __func__, buffer, length_bytes);
}

enum MvStatus mvTestLog(const uint8_t *message, uint16_t length_bytes)
{
    return log_message(MVHOST_OP_TEST_LOG, __func__, message, length_bytes);
}

/* ---- Power and system ---- */

enum MvStatus mvPowerSave(enum MvPowerSavingMode mode)
{
    return scalars_only(MVHOST_OP_POWER_SAVE, __func__, 1, (uint32_t)mode, 0, 0);
}

enum MvStatus mvSystemLedEnable(uint32_t enable)
{
    return scalars_only(MVHOST_OP_SYSTEM_LED_ENABLE, __func__, 1, enable, 0, 0);
}

enum MvStatus mvOpenSystemNotification(const struct MvOpenSystemNotificationParams *params,
                                       MvSystemEventHandle *handle)
{
    struct mvhost_call call;
    uint64_t value;
    mvhost_call_begin(&call, MVHOST_OP_OPEN_SYSTEM_NOTIFICATION, __func__);
    mvhost_wire_put_pointer(&call.writer, params);
    mvhost_wire_put_pointer(&call.writer, handle);
    if (mvhost_call_exchange(&call) && mvhost_take_u64(&call, &value) && handle != NULL) {
        *handle = (MvSystemEventHandle)(uintptr_t)value;
    }
    return finish(&call);
}

enum MvStatus mvCloseSystemNotification(MvSystemEventHandle *handle)
{
    return close_handle(MVHOST_OP_CLOSE_SYSTEM_NOTIFICATION, __func__, (void *)handle, HANDLE_OTHER);
}

enum MvStatus mvDeepSleep(enum MvDeepSleepMode mode)
{
    return scalars_only(MVHOST_OP_DEEP_SLEEP, __func__, 1, (uint32_t)mode, 0, 0);
}

enum MvStatus mvGetWakeReason(enum MvWakeReason *mode)
{
    struct mvhost_call call;
    uint32_t value;
    mvhost_call_begin(&call, MVHOST_OP_GET_WAKE_REASON, __func__);
    mvhost_wire_put_pointer(&call.writer, mode);
    if (mvhost_call_exchange(&call) && mvhost_take_u32(&call, &value) && mode != NULL) {
        *mode = (enum MvWakeReason)value;
    }
    return finish(&call);
}

enum MvStatus mvRestart(enum MvRestartMode mode)
{
    return scalars_only(MVHOST_OP_RESTART, __func__, 1, (uint32_t)mode, 0, 0);
}

/* ---- External flash ---- */

enum MvStatus mvExternalFlashOpen(MvExternalFlashHandle *handle)
{
    return open_handle(MVHOST_OP_EXTERNAL_FLASH_OPEN, __func__, (void *)handle);
}

enum MvStatus mvExternalFlashClose(MvExternalFlashHandle *handle)
{
    return close_handle(MVHOST_OP_EXTERNAL_FLASH_CLOSE, __func__, (void *)handle, HANDLE_OTHER);
}

enum MvStatus mvExternalFlashReadBlocking(MvExternalFlashHandle handle, uint32_t address, uint32_t length,
                                          uint8_t *buffer)
{
    struct mvhost_call call;
    mvhost_call_begin(&call, MVHOST_OP_EXTERNAL_FLASH_READ_BLOCKING, __func__);
    mvhost_wire_put_u64(&call.writer, HANDLE(handle));
    mvhost_wire_put_u32(&call.writer, address);
    mvhost_wire_put_u32(&call.writer, length);
    mvhost_wire_put_pointer(&call.writer, buffer);
    return read_into_buffer(&call, buffer, length);
}

enum MvStatus mvExternalFlashEraseBlocking(MvExternalFlashHandle handle, uint32_t address, uint32_t length)
{
    struct mvhost_call call;
    mvhost_call_begin(&call, MVHOST_OP_EXTERNAL_FLASH_ERASE_BLOCKING, __func__);
    mvhost_wire_put_u64(&call.writer, HANDLE(handle));
    mvhost_wire_put_u32(&call.writer, address);
    mvhost_wire_put_u32(&call.writer, length);
    (void)mvhost_call_exchange(&call);
    return finish(&call);
}

enum MvStatus mvExternalFlashWriteBlocking(MvExternalFlashHandle handle, uint32_t address, uint32_t length,
                                           const uint8_t *buffer)
{
    struct mvhost_call call;
    mvhost_call_begin(&call, MVHOST_OP_EXTERNAL_FLASH_WRITE_BLOCKING, __func__);
    mvhost_wire_put_u64(&call.writer, HANDLE(handle));
    mvhost_wire_put_u32(&call.writer, address);
    mvhost_wire_put_u32(&call.writer, length);
    mvhost_wire_put_pointer(&call.writer, buffer);
    put_input_bytes(&call.writer, buffer, length);
    (void)mvhost_call_exchange(&call);
    return finish(&call);
}

enum MvStatus mvExternalFlashGetInfo(MvExternalFlashHandle handle, struct MvExternalFlashInfo *info)
{
    return handle_and_pointer(MVHOST_OP_EXTERNAL_FLASH_GET_INFO, __func__, HANDLE(handle), info);
}

/* ---- Wi-Fi ---- */

enum MvStatus mvSetWifiConfig(const struct MvWifiConfig *params)
{
    struct mvhost_call call;
    mvhost_call_begin(&call, MVHOST_OP_SET_WIFI_CONFIG, __func__);
    mvhost_wire_put_pointer(&call.writer, params);
    (void)mvhost_call_exchange(&call);
    return finish(&call);
}

enum MvStatus mvGetWifiConfig(const struct MvWifiConfigOut *params)
{
    struct mvhost_call call;
    mvhost_call_begin(&call, MVHOST_OP_GET_WIFI_CONFIG, __func__);
    mvhost_wire_put_pointer(&call.writer, params);
    (void)mvhost_call_exchange(&call);
    return finish(&call);
}
