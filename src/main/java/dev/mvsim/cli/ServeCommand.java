package dev.mvsim.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.rest.RestServer;
import dev.mvsim.cloud.store.CloudStore;
import dev.mvsim.cloud.store.sqlite.SqliteCloudStore;
import dev.mvsim.cloud.store.sqlite.SqliteStoreOptions;
import dev.mvsim.link.DownWindow;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.LatencyModel;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mvsim serve}: opens the store, makes sure the account exists, serves the REST API until
 * SIGTERM or Ctrl-C, then closes the server and the store.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the simulated Microvisor cloud: the REST API for secrets, configs and devices.")
final class ServeCommand implements Callable<Integer> {

    /** Longest Unix socket path Linux accepts: sun_path has room for 108 bytes, the terminating NUL included. */
    private static final int MAX_UNIX_SOCKET_PATH_BYTES = 107;

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    private final CliEnvironment environment;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + Defaults.PORT,
            description = "TCP port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = Defaults.BIND_ADDRESS,
            description = "Address to listen on (default: ${DEFAULT-VALUE}). Anything other than a loopback "
                    + "address exposes the API to the network.")
    String bindAddress;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory of the SQLite store, the master key and credentials.json "
                    + "(default: $MVSIM_DATA_DIR, else ./" + Defaults.DATA_DIRECTORY + ").")
    Path dataDirectory;

    @Option(names = "--in-memory",
            description = "Keep secrets, configs and devices in memory only; they are lost on exit. "
                    + "The credentials file is still read from and written to the data directory.")
    boolean inMemory;

    @Option(names = "--public-url", paramLabel = "URL",
            description = "Base URL that the 'url' fields of responses start with (default: the listening address).")
    URI publicUrl;

    @Option(names = "--json", description = "Print the start-up output as one JSON object: the REST URL, the account, "
            + "credentials on first start and the bridge endpoints.")
    boolean json;

    @Option(names = "--bridge-port", paramLabel = "PORT",
            description = "TCP port on the --bind address where devices connect over the bridge; 0 picks a free one "
                    + "(default: no TCP bridge).")
    Integer bridgePort;

    @Option(names = "--bridge-unix", paramLabel = "PATH",
            description = "Unix socket path where devices connect over the bridge. A socket file that no server "
                    + "accepts on is replaced; any other existing file is an error.")
    Path bridgeUnix;

    @Option(names = "--bridge-serial", paramLabel = "DEVICE[?baud=N]",
            description = "Serial line of a device on the bridge, such as /dev/ttyUSB0?baud=115200 (default 115200 baud). "
                    + "serve opens it again after it fails.")
    String bridgeSerial;

    /** Null when the option is not given, so that it can be rejected without a bridge listener; wall then applies. */
    @Option(names = "--bridge-clock", paramLabel = "CLOCK", converter = BridgeClockOption.class,
            description = "Clock of bridge devices that do not choose one: " + BridgeClockOption.ALLOWED
                    + ", in any case (default: wall).")
    dev.mvsim.bridge.ClockChoice bridgeClock;

    @Option(names = "--bridge-connect-delay", paramLabel = "DURATION", converter = DurationOption.class,
            description = "Time a bridge device's network takes from CONNECTING to CONNECTED, on the device's "
                    + "clock, such as 200ms or 1.5s (default: 200ms).")
    Duration bridgeConnectDelay;

    @Option(names = "--bridge-latency", paramLabel = "DURATION|MIN..MAX", converter = LatencyOption.class,
            description = "Round-trip time of each config fetch of a bridge device, on the device's clock: a "
                    + "duration such as 50ms, or a range such as 20ms..200ms to draw each fetch's time from "
                    + "(default: 50ms).")
    LatencyModel bridgeLatency;

    @Option(names = "--bridge-link-down", paramLabel = "START+LENGTH", converter = LinkDownOption.class,
            description = "Keeps every bridge device's link to the cloud down from START on the device's clock "
                    + "for LENGTH, such as 5s+2s. Repeatable. A LENGTH of 0s drops the connection once.")
    List<DownWindow> bridgeLinkDown = new ArrayList<>();

    @Spec
    CommandSpec spec;

    /** Endpoints of the started bridge; null without a bridge. */
    private BridgeEndpoints bridgeEndpoints;

    ServeCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new CliException(ExitCode.USAGE, "Invalid --port " + port + ": expected 0 to 65535.");
        }
        if (bridgePort != null && (bridgePort < 0 || bridgePort > 65535)) {
            throw new CliException(ExitCode.USAGE, "Invalid --bridge-port " + bridgePort
                    + ": expected 0 to 65535 (0 picks a free port).");
        }
        checkBridgeUnixPath();
        checkBridgeSerialSetting();
        checkBridgeOptionsHaveListener();
        PublicUrlOption.check(publicUrl);
        ServeAccount.checkEnvironment(environment);
        Path directory = Defaults.dataDirectory(dataDirectory, environment);
        preloadRestServer();

        CloudStore store = inMemory ? null : openStore(directory);
        SimulatedCloud cloud = store == null ? SimulatedCloud.inMemory() : SimulatedCloud.open(store);
        try {
            // An existing account is checked before the ports are bound, so a wrong token fails
            // before anything listens. A new account is created only once the ports are bound,
            // so a start that fails never writes credentials it did not print.
            Optional<ServeAccount> existing = ServeAccount.existing(cloud, directory, environment);
            try (RestServer server = startServer(cloud); dev.mvsim.bridge.BridgeServer bridge = startBridge(cloud)) {
                ServeAccount account = existing.isPresent() ? existing.get() : ServeAccount.createNew(cloud, directory);
                URI baseUri = server.baseUri();
                log.info("mvsim serves the Microvisor REST API at {} (store: {})",
                        baseUri, inMemory ? "in memory" : directory.toAbsolutePath());
                printStart(baseUri, account);

                environment.lifecycle().started(baseUri);
                environment.lifecycle().awaitStopRequest();
                log.info("Stopping: closing the REST server and the store");
            }
        } finally {
            cloud.close();
            environment.lifecycle().stopped();
        }
        return ExitCode.OK;
    }

    /** Starts loading the REST server's libraries on a daemon thread, while this thread opens the store. */
    private static void preloadRestServer() {
        Thread preload = new Thread(() -> {
            try {
                RestServer.preload();
            } catch (RuntimeException e) {
                // Starting the server loads the same classes again and reports the failure.
                log.debug("Preloading the REST server failed", e);
            }
        }, "mvsim-rest-preload");
        preload.setDaemon(true);
        preload.start();
    }

    private CloudStore openStore(Path directory) {
        try {
            return SqliteCloudStore.open(directory, environment.variables(), SqliteStoreOptions.defaults());
        } catch (RuntimeException e) {
            throw StoreFailures.describe(directory, e);
        }
    }

    private RestServer startServer(SimulatedCloud cloud) {
        InetSocketAddress bind = new InetSocketAddress(bindAddress, port);
        if (bind.isUnresolved()) {
            throw new CliException(ExitCode.USAGE, "Invalid --bind " + bindAddress + ": the address does not resolve.");
        }
        try {
            return cloud.startRest(bind, publicUrl);
        } catch (RuntimeException e) {
            if (!isLocalAddress(bind.getAddress())) {
                throw new CliException(ExitCode.SERVE_FAILED, "Failed to listen on " + bindAddress + ":" + port
                        + ": " + bindAddress + " is not an address of this machine, so it cannot be bound here."
                        + " Pass 127.0.0.1, 0.0.0.0 or an address of a local network interface with --bind.", e);
            }
            throw new CliException(ExitCode.SERVE_FAILED, "Failed to listen for the REST API on " + bind.getHostString()
                    + " port " + port + ": " + e.getMessage() + ". Is another server using port " + port
                    + "? Pick another with --port.", e);
        }
    }

    /** Returns whether the address is a wildcard or belongs to one of this machine's interfaces. */
    private static boolean isLocalAddress(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            // Without the interface list the port remains the likelier cause.
            return true;
        }
    }

    /**
     * Checks the --bridge-unix path before anything starts: Linux limits a socket path to 107
     * bytes, and a missing directory would otherwise surface as a bare "No such file or directory".
     */
    private void checkBridgeUnixPath() {
        if (bridgeUnix == null) {
            return;
        }
        if (bridgeUnix.toString().isEmpty()) {
            throw new CliException(ExitCode.USAGE, "Invalid --bridge-unix: the path is empty. Give a socket path, "
                    + "such as /tmp/mvsim.sock.");
        }
        Path absolute = bridgeUnix.toAbsolutePath();
        int length = absolute.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (length > MAX_UNIX_SOCKET_PATH_BYTES) {
            throw new CliException(ExitCode.USAGE, "Invalid --bridge-unix " + absolute + ": the path is " + length
                    + " bytes, and a Unix socket path may have at most " + MAX_UNIX_SOCKET_PATH_BYTES
                    + ". Pick a shorter one, such as /tmp/mvsim.sock.");
        }
        Path directory = absolute.getParent();
        if (directory != null && !java.nio.file.Files.isDirectory(directory)) {
            throw new CliException(ExitCode.USAGE, "Invalid --bridge-unix " + absolute + ": the directory " + directory
                    + " does not exist. Create it first, or pick a path in an existing directory.");
        }
    }

    /** Returns the link timing options as given; the defaults apply where one is missing. */
    LinkTiming linkTiming() {
        return new LinkTiming(bridgeConnectDelay, bridgeLatency, bridgeLinkDown);
    }

    /** Checks the --bridge-serial setting's path and baud rate before anything starts. */
    private void checkBridgeSerialSetting() {
        if (bridgeSerial == null) {
            return;
        }
        try {
            dev.mvsim.bridge.BridgeLaunch.checkSerialSetting(bridgeSerial);
        } catch (IllegalArgumentException invalid) {
            throw new CliException(ExitCode.USAGE, "Invalid --bridge-serial: " + invalid.getMessage() + ".");
        }
    }

    /** Rejects the clock and link timing options without a bridge listener, where they would change nothing. */
    private void checkBridgeOptionsHaveListener() {
        boolean bridge = bridgePort != null || bridgeUnix != null || bridgeSerial != null;
        if (bridge) {
            return;
        }
        if (linkTiming().anyGiven()) {
            throw new CliException(ExitCode.USAGE, LinkTiming.OPTION_NAMES + " set the link of bridge devices, "
                    + "and no bridge was requested. Add --bridge-port, --bridge-unix or --bridge-serial.");
        }
        if (bridgeClock != null) {
            throw new CliException(ExitCode.USAGE, "--bridge-clock sets the clock of bridge devices, and no bridge "
                    + "was requested. Add --bridge-port, --bridge-unix or --bridge-serial.");
        }
    }

    /**
     * Starts the bridge for out-of-process devices when a --bridge option is given, and records
     * where it listens in {@link #bridgeEndpoints}; otherwise returns null.
     */
    private dev.mvsim.bridge.BridgeServer startBridge(SimulatedCloud cloud) {
        InetSocketAddress tcp = bridgePort == null ? null : new InetSocketAddress(bindAddress, bridgePort);
        dev.mvsim.bridge.BridgeLaunch.Settings settings =
                new dev.mvsim.bridge.BridgeLaunch.Settings(tcp, bridgeUnix, bridgeSerial,
                        bridgeClock != null ? bridgeClock : dev.mvsim.bridge.ClockChoice.WALL);
        if (!settings.any()) {
            return null;
        }
        try {
            FaultPlan faultPlan = linkTiming().faultPlan();
            dev.mvsim.bridge.BridgeServer bridge = dev.mvsim.bridge.BridgeLaunch.start(cloud.deviceKeys(),
                    cloud.itemDirectory(), settings, faultPlan);
            log.info("bridge devices' link: {}", LinkTiming.describe(faultPlan));
            bridgeEndpoints = BridgeEndpoints.of(settings, bridge);
            return bridge;
        } catch (java.net.BindException e) {
            throw new CliException(ExitCode.SERVE_FAILED, "Failed to start the bridge: " + e.getMessage()
                    + ". Is another server using that address? Stop it, or pick another --bridge-port or --bridge-unix.",
                    e);
        } catch (java.io.IOException | RuntimeException e) {
            throw new CliException(ExitCode.SERVE_FAILED, "Failed to start the bridge: " + e.getMessage()
                    + ". Check the --bridge options.", e);
        }
    }

    /** Returns picocli's standard output, or System.out when {@link ServeArguments} parsed the options. */
    private PrintWriter out() {
        return spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
    }

    private void printStart(URI baseUri, ServeAccount account) {
        BridgeEndpoints bridge = bridgeEndpoints;
        Output output = new Output(out());
        if (json) {
            ObjectNode start = JsonNodeFactory.instance.objectNode();
            start.put("url", baseUri.toString());
            start.put("account_sid", account.record().sid());
            if (account.created()) {
                start.put("auth_token", account.record().authToken());
                start.put("credentials_file", account.credentialsFile().toString());
            }
            if (bridge != null) {
                start.set("bridge", bridge.toJson());
            }
            output.jsonLine(start);
            return;
        }

        output.line("mvsim listening at " + baseUri + " for account " + account.record().sid());
        if (bridge != null) {
            output.line(bridge.toLine());
        }
        if (account.created()) {
            output.line("Created the account. Its credentials, printed only this once, are also in "
                    + account.credentialsFile() + ":");
            output.line("  " + CliEnvironment.ACCOUNT_SID + "=" + account.record().sid());
            output.line("  " + CliEnvironment.AUTH_TOKEN + "=" + account.record().authToken());
        }
    }
}
