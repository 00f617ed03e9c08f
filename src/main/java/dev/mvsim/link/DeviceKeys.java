package dev.mvsim.link;

import java.util.Optional;

/**
 * Per-device keys that authenticate a device connecting over the bridge. The simulated cloud
 * implements it; the bridge's handshake uses it to check a device's HMAC-SHA-256 response.
 */
public interface DeviceKeys {

    /** Returns the key of the device with the given SID, or empty when no such device exists. */
    Optional<byte[]> deviceKey(String deviceSid);
}
