#include "local_handle_fixture.h"

#include "check.h"
#include "fake_kernel.h"
#include "host.h"
#include "mvhost.h"
#include "wire.h"

void fake_kernel_queue_reservation(uint32_t conditions, uint32_t status, const uint64_t *handles, uint32_t count,
                                   const uint64_t *holders, uint32_t holder_count)
{
    uint8_t storage[256];
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_STATE, MVHOST_STATE_RESERVED_HANDLES, 0, 0);
    mvhost_wire_put_u32(&writer, conditions);
    mvhost_wire_put_u32(&writer, status);
    mvhost_wire_put_list(&writer, count, 1);
    for (uint32_t i = 0; i < count; i++) {
        mvhost_wire_put_u64(&writer, handles[i]);
    }
    mvhost_wire_put_list(&writer, holder_count, 1);
    for (uint32_t i = 0; i < holder_count; i++) {
        mvhost_wire_put_u64(&writer, holders[i]);
    }
    CHECK_EQ(mvhost_wire_finish_frame(&writer), MVHOST_WIRE_OK);
    fake_kernel_queue_frame(writer.data, (uint32_t)writer.length);
    mvhost_wire_writer_release(&writer);
}

void fake_kernel_queue_open_budget(uint32_t free_channels, uint32_t max_opens, uint64_t window_us,
                                   const uint64_t *opens, uint32_t open_count)
{
    uint8_t storage[256];
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_STATE, MVHOST_STATE_OPEN_BUDGET, 0, 0);
    mvhost_wire_put_u32(&writer, free_channels);
    mvhost_wire_put_u32(&writer, max_opens);
    mvhost_wire_put_u64(&writer, window_us);
    mvhost_wire_put_list(&writer, open_count, 1);
    for (uint32_t i = 0; i < open_count; i++) {
        mvhost_wire_put_u64(&writer, opens[i]);
    }
    CHECK_EQ(mvhost_wire_finish_frame(&writer), MVHOST_WIRE_OK);
    fake_kernel_queue_frame(writer.data, (uint32_t)writer.length);
    mvhost_wire_writer_release(&writer);
}

void fake_kernel_queue_network_state(uint64_t handle, uint32_t status)
{
    uint8_t storage[64];
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_STATE, MVHOST_STATE_NETWORK, 0, 0);
    mvhost_wire_put_u64(&writer, handle);
    mvhost_wire_put_u32(&writer, status);
    CHECK_EQ(mvhost_wire_finish_frame(&writer), MVHOST_WIRE_OK);
    fake_kernel_queue_frame(writer.data, (uint32_t)writer.length);
    mvhost_wire_writer_release(&writer);
}

void fake_kernel_restart(uint32_t clock_kind, uint64_t now_us)
{
    (void)mvhost_flush();
    fake_kernel_install();
    mvhost_reset();
    fake_kernel.clock_kind = clock_kind;
    fake_kernel.now_us = now_us;
    fake_kernel.u64_output = FAKE_HANDLE;
    fake_kernel.u32_output = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
}

enum MvStatus app_setup_notifications(uint32_t irq, struct MvNotification *buffer, uint32_t size,
                                      MvNotificationHandle *out)
{
    struct MvNotificationSetup parameters = {.irq = irq, .buffer = buffer, .buffer_size = size};
    return mvSetupNotifications(&parameters, out);
}

enum MvStatus app_request_network(uint32_t version, MvNotificationHandle centre, MvNetworkHandle *out)
{
    struct MvRequestNetworkParams params = {.version = version};
    params.v1.notification_handle = centre;
    params.v1.notification_tag = 7;
    return mvRequestNetwork(&params, out);
}
