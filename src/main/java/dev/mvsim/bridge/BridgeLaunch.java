package dev.mvsim.bridge;

import dev.mvsim.link.DeviceKeys;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.ItemDirectory;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/** Starts a bridge server from command-line settings, for {@code mvsim serve}. */
public final class BridgeLaunch {

    /** Speed of a serial line whose setting names none. */
    public static final int DEFAULT_BAUD = 115200;

    private BridgeLaunch() {
    }

    /**
     * Listener settings of the bridge. A null listener is off.
     *
     * @param serial a device path, optionally followed by {@code ?baud=N}
     */
    public record Settings(InetSocketAddress tcp, Path unix, String serial, ClockChoice clock) {
        public boolean any() {
            return tcp != null || unix != null || serial != null;
        }
    }

    /**
     * Starts the listeners in {@code settings}.
     *
     * @throws IOException if a listener cannot be opened; listeners already open are closed
     * @throws IllegalArgumentException if the serial setting names an invalid baud rate
     */
    public static BridgeServer start(DeviceKeys keys, ItemDirectory directory, Settings settings) throws IOException {
        return start(keys, directory, settings, FaultPlan.none());
    }

    /** Starts the listeners in {@code settings}, with every device's link following {@code faultPlan}. */
    public static BridgeServer start(DeviceKeys keys, ItemDirectory directory, Settings settings, FaultPlan faultPlan)
            throws IOException {
        BridgeServer server = BridgeServer.create(keys, new KernelSessions(directory, settings.clock(), faultPlan));
        try {
            if (settings.tcp() != null) {
                listenTcp(server, settings.tcp());
            }
            if (settings.unix() != null) {
                server.listenUnix(settings.unix());
            }
            if (settings.serial() != null) {
                server.attachSerial(Path.of(serialPath(settings.serial())), serialBaud(settings.serial()));
            }
            return server;
        } catch (IOException | RuntimeException failure) {
            server.close();
            throw failure;
        }
    }

    /** Listens on {@code address}. A failure to bind names the address and port, which the JDK's message leaves out. */
    private static void listenTcp(BridgeServer server, InetSocketAddress address) throws IOException {
        try {
            server.listenTcp(address);
        } catch (BindException failure) {
            BindException named = new BindException("cannot listen on " + address.getHostString() + " port "
                    + address.getPort() + ": " + failure.getMessage());
            named.initCause(failure);
            throw named;
        }
    }

    static String serialPath(String setting) {
        int query = setting.indexOf('?');
        return query < 0 ? setting : setting.substring(0, query);
    }

    static int serialBaud(String setting) {
        int query = setting.indexOf('?');
        if (query < 0) {
            return DEFAULT_BAUD;
        }
        String option = setting.substring(query + 1);
        if (!option.startsWith("baud=")) {
            throw new IllegalArgumentException("invalid serial option '" + option + "' in " + setting
                    + ": expected baud=N");
        }
        try {
            return Integer.parseInt(option.substring("baud=".length()));
        } catch (NumberFormatException notNumber) {
            throw new IllegalArgumentException("invalid baud rate in " + setting + ": expected a number such as 115200");
        }
    }
}
