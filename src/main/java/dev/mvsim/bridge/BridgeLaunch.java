package dev.mvsim.bridge;

import dev.mvsim.link.DeviceKeys;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.ItemDirectory;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Starts a bridge server from command-line settings, for {@code mvsim serve}. */
public final class BridgeLaunch {

    /** Speed of a serial line whose setting names none. */
    public static final int DEFAULT_BAUD = 115200;

    /**
     * Baud rates a serial setting may name: the ones libmvhost accepts in MVHOST_CONNECT, so that both
     * ends of a line can agree. stty takes others, but a device could never match them.
     */
    static final List<Integer> BAUD_RATES = List.of(9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600);

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

    /**
     * Checks a serial setting before anything starts.
     *
     * @throws IllegalArgumentException if the device path is missing or the baud rate is invalid
     */
    public static void checkSerialSetting(String setting) {
        if (serialPath(setting).isEmpty()) {
            throw new IllegalArgumentException("the setting '" + setting + "' names no device path: expected a "
                    + "path such as /dev/ttyUSB0?baud=115200");
        }
        serialBaud(setting);
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
        int baud;
        try {
            baud = Integer.parseInt(option.substring("baud=".length()));
        } catch (NumberFormatException notNumber) {
            throw new IllegalArgumentException("invalid baud rate in " + setting + ": expected a number such as 115200");
        }
        if (!BAUD_RATES.contains(baud)) {
            throw new IllegalArgumentException("invalid baud rate " + baud + " in " + setting + ": use one of "
                    + BAUD_RATES.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + ", as libmvhost does");
        }
        return baud;
    }
}
