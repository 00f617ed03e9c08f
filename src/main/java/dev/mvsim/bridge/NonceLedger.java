package dev.mvsim.bridge;

import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client nonces of handshakes that succeeded, per device, so that a HELLO that reuses one is
 * rejected as a replay. A replayed PROOF already fails because every CHALLENGE carries a fresh
 * server nonce; the ledger makes the replay visible by name in the logs. Only authenticated
 * devices get entries, each holding at most {@link #NONCES_PER_DEVICE}, oldest dropped first.
 */
final class NonceLedger {

    static final int NONCES_PER_DEVICE = 1024;

    private final Map<String, Set<String>> noncesByDevice = new ConcurrentHashMap<>();

    /** Returns true if {@code nonce} completed a handshake for this device before. */
    boolean seen(String deviceSid, byte[] nonce) {
        Set<String> nonces = noncesByDevice.get(deviceSid);
        if (nonces == null) {
            return false;
        }
        synchronized (nonces) {
            return nonces.contains(HexFormat.of().formatHex(nonce));
        }
    }

    /** Records the nonce of a handshake that has just succeeded. */
    void record(String deviceSid, byte[] nonce) {
        Set<String> nonces = noncesByDevice.computeIfAbsent(deviceSid, sid -> new LinkedHashSet<>());
        synchronized (nonces) {
            nonces.add(HexFormat.of().formatHex(nonce));
            if (nonces.size() > NONCES_PER_DEVICE) {
                nonces.remove(nonces.iterator().next());
            }
        }
    }
}
