package dev.mvsim.cloud.rest;

import dev.mvsim.cloud.CloudException;
import dev.mvsim.cloud.RegisteredDevice;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.cloud.store.DeviceRecord;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.util.List;
import java.util.Map;

/** Devices: list, fetch and update under {@code /v1}, and the simulator-only registration. */
final class DeviceEndpoints {

    private static final String LIST_PATH = "/v1/Devices";

    /** Update parameters of the vendor API that need apps or logging, which mvsim does not simulate. */
    private static final List<String> UNSUPPORTED_UPDATES = List.of("TargetApp", "LoggingEnabled", "RestartApp");

    private final SimulatedCloud cloud;
    private final JsonViews views;
    private final ListPages pages;

    DeviceEndpoints(SimulatedCloud cloud, JsonViews views, ListPages pages) {
        this.cloud = cloud;
        this.views = views;
        this.pages = pages;
    }

    void handle(HttpServerExchange exchange, AccountRecord account, Route route, Map<String, String> form) {
        if (route.kind() == Route.Kind.DEVICE_LIST) {
            list(exchange, account);
            return;
        }

        DeviceRecord device = cloud.findDevice(account.sid(), route.deviceRef())
                .orElseThrow(() -> new CloudException.NotFound("Device " + route.deviceRef() + " was not found"));
        if (exchange.getRequestMethod().equals(Methods.POST)) {
            device = update(account, device, form);
        }
        send(exchange, StatusCodes.OK, device, null);
    }

    /** Registers a device with an optional {@code UniqueName}; the response is the only place its key appears. */
    void register(HttpServerExchange exchange, AccountRecord account, Map<String, String> form) {
        RegisteredDevice registered = cloud.registerDevice(account.sid(), form.get("UniqueName"));
        send(exchange, StatusCodes.CREATED, registered.device(), registered.deviceKeyHex());
    }

    private DeviceRecord update(AccountRecord account, DeviceRecord device, Map<String, String> form) {
        for (String parameter : UNSUPPORTED_UPDATES) {
            if (form.containsKey(parameter)) {
                throw new CloudException.InvalidParameter(parameter, "Parameter " + parameter
                        + " is not supported: mvsim does not simulate apps or device logging");
            }
        }
        String uniqueName = form.get("UniqueName");
        return uniqueName == null ? device : cloud.renameDevice(account.sid(), device.sid(), uniqueName);
    }

    private void list(HttpServerExchange exchange, AccountRecord account) {
        ListPages.Start start = pages.start(exchange, account.sid(), LIST_PATH);

        ListPages.Source<DeviceRecord> source = new ListPages.Source<>(
                (afterSid, limit) -> cloud.listDevices(account.sid(), afterSid, limit),
                (upToSid, limit) -> cloud.listDevicesUpTo(account.sid(), upToSid, limit),
                DeviceRecord::sid);
        ListPages.Page<DeviceRecord> page = pages.read(account.sid(), LIST_PATH, "devices", start, source);

        Responses.json(exchange, StatusCodes.OK, JsonViews.render(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("devices");
            for (DeviceRecord device : page.records()) {
                views.writeDevice(json, device, null);
            }
            json.writeEndArray();
            JsonViews.writeMeta(json, page.links());
            json.writeEndObject();
        }));
    }

    private void send(HttpServerExchange exchange, int status, DeviceRecord device, String deviceKeyHex) {
        Responses.json(exchange, status, JsonViews.render(json -> views.writeDevice(json, device, deviceKeyHex)));
    }
}
