package dev.mvsim.cloud;

import dev.mvsim.cloud.store.DeviceRecord;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A device just registered with the simulated cloud, with the random 32-byte key that
 * authenticates it on the bridge. {@code toString} leaves the key out.
 */
public record RegisteredDevice(DeviceRecord device, byte[] deviceKey) {

    public RegisteredDevice {
        Objects.requireNonNull(device, "device");
        deviceKey = Objects.requireNonNull(deviceKey, "deviceKey").clone();
    }

    public String sid() {
        return device.sid();
    }

    /** Returns a copy of the bridge key. */
    @Override
    public byte[] deviceKey() {
        return deviceKey.clone();
    }

    /** Returns the bridge key as lowercase hex digits. */
    public String deviceKeyHex() {
        return HexFormat.of().formatHex(deviceKey);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RegisteredDevice that
                && device.equals(that.device) && java.util.Arrays.equals(deviceKey, that.deviceKey);
    }

    @Override
    public int hashCode() {
        return device.hashCode();
    }

    @Override
    public String toString() {
        return "RegisteredDevice[device=" + device + "]";
    }
}
