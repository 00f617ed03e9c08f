package dev.mvsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mvsim.cloud.RegisteredDevice;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.rest.RestServer;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.jna.ConfigFetchExample;
import dev.mvsim.jna.FirmwareLibrary;
import dev.mvsim.jna.InProcessHost;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvConfigKeyFetchResult;
import dev.mvsim.kernel.MvStatus;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mvsim demo}: starts an in-memory cloud, creates a secret and a config through its REST
 * API, runs the C example firmware in this process through libmvhost, and prints what the
 * firmware received beside what the REST API shows.
 *
 * <p>The secret's value is printed on neither side. The REST side shows metadata only, as the API
 * returns it. The firmware side shows the length and the first 8 bytes of the SHA-256 of what it
 * received, beside the same digest of what was stored. That is enough to see that the bytes
 * match, whereas a masked value would still give away the length and some characters.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Fetch a secret and a config with the example C firmware, in process, from an in-memory"
                + " cloud filled over its REST API, and compare what each side shows.")
final class DemoCommand implements Callable<Integer> {

    static final String SECRET_KEY = "weather-api-key";
    static final String CONFIG_KEY = "prefs";
    static final String CONFIG_VALUE = "{\"units\":\"metric\",\"refresh_s\":600}";
    static final String MISSING_KEY = "not-stored";

    private static final int SECRET_BYTES = 20;
    private static final int DIGEST_BYTES_SHOWN = 8;

    @Option(names = "--interrupt-thread",
            description = "Run the firmware's interrupt handler on libmvhost's interrupt thread instead of at"
                    + " syscall exit.")
    boolean interruptThread;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        byte[] secretBytes = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(secretBytes);
        String secret = HexFormat.of().formatHex(secretBytes);

        try (SimulatedCloud cloud = SimulatedCloud.inMemory();
             RestServer server = cloud.startRest(new InetSocketAddress("127.0.0.1", 0), null)) {
            AccountRecord account = cloud.createAccount();
            RegisteredDevice device = cloud.registerDevice(account.sid(), "demo-device");
            RestClient rest = new RestClient(server.baseUri(), new Credentials(account.sid(), account.authToken(),
                    "the demo's own account"));
            String devicePath = "/v1/Devices/" + device.sid();

            out.printf("Cloud REST API on %s, account %s, device %s%n", server.baseUri(), account.sid(), device.sid());
            rest.post("/v1/Secrets", Map.of("Key", SECRET_KEY, "Value", secret));
            rest.post(devicePath + "/Configs", Map.of("Key", CONFIG_KEY, "Value", CONFIG_VALUE));
            out.printf("Created account secret %s and device config %s over HTTP%n%n", SECRET_KEY, CONFIG_KEY);

            JsonNode secretMetadata = rest.get("/v1/Secrets/" + SECRET_KEY);
            JsonNode config = rest.get(devicePath + "/Configs/" + CONFIG_KEY);

            ConfigFetchExample.config_fetch_result result = runFirmware(device.sid(), cloud);
            out.printf("Firmware run: %s%n%n", outcomeName(result.outcome));

            boolean secretMatches = printSecret(out, secretMetadata, result.items[0], secret);
            boolean configMatches = printConfig(out, config, result.items[1]);
            boolean missingReported = printMissing(out, missingOnRest(rest), result.items[2]);

            boolean success = result.outcome == ConfigFetchExample.CONFIG_FETCH_OK
                    && secretMatches && configMatches && missingReported;
            out.println(success ? "The firmware received what the cloud stores."
                    : "The firmware did not receive what the cloud stores; see the lines above.");
            out.flush();
            return success ? ExitCode.OK : ExitCode.REJECTED;
        }
    }

    private ConfigFetchExample.config_fetch_result runFirmware(String deviceSid, SimulatedCloud cloud) {
        ConfigFetchExample firmware = FirmwareLibrary.load(FirmwareLibrary.exampleLibrary(), ConfigFetchExample.class);
        DeviceKernel kernel = DeviceKernel.builder(deviceSid, cloud.itemDirectory()).build();
        InProcessHost.InterruptMode mode = interruptThread
                ? InProcessHost.InterruptMode.INTERRUPT_THREAD : InProcessHost.InterruptMode.SYNCHRONOUS;

        ConfigFetchExample.config_fetch_key[] keys =
                (ConfigFetchExample.config_fetch_key[]) new ConfigFetchExample.config_fetch_key().toArray(3);
        setKey(keys[0], 0, 0, SECRET_KEY);
        setKey(keys[1], 1, 1, CONFIG_KEY);
        setKey(keys[2], 0, 1, MISSING_KEY);

        ConfigFetchExample.config_fetch_result result = new ConfigFetchExample.config_fetch_result();
        try (InProcessHost host = InProcessHost.open(kernel, mode)) {
            firmware.config_fetch_run(keys, keys.length, null, result);
        }
        return result;
    }

    private static void setKey(ConfigFetchExample.config_fetch_key key, int scope, int store, String name) {
        key.scope = scope;
        key.store = store;
        key.name = name;
    }

    private static boolean printSecret(PrintWriter out, JsonNode metadata, ConfigFetchExample.config_fetch_item item,
                                       String stored) {
        byte[] received = item.valueBytes();
        boolean matches = item.read_status == MvStatus.OKAY.code()
                && MessageDigest.isEqual(received, stored.getBytes(StandardCharsets.UTF_8));

        out.printf("Account secret %s%n", SECRET_KEY);
        out.printf("  REST API: %s%n", metadataLine(metadata));
        out.printf("  firmware: %s, %d bytes, SHA-256 %s... (stored: %d bytes, SHA-256 %s...)%s%n",
                itemStatus(item), received.length, digestPrefix(received), stored.length(),
                digestPrefix(stored.getBytes(StandardCharsets.UTF_8)), matches ? "" : " MISMATCH");
        return matches;
    }

    private static boolean printConfig(PrintWriter out, JsonNode config, ConfigFetchExample.config_fetch_item item) {
        String restValue = config.path("value").asText();
        boolean matches = item.read_status == MvStatus.OKAY.code() && item.valueText().equals(restValue);

        out.printf("Device config %s%n", CONFIG_KEY);
        out.printf("  REST API: value %s%n", restValue);
        out.printf("  firmware: %s, value %s%s%n", itemStatus(item), item.valueText(), matches ? "" : " MISMATCH");
        return matches;
    }

    /** Returns the REST API's response to a GET of the key that was never created. */
    private static String missingOnRest(RestClient rest) {
        try {
            rest.get("/v1/Configs/" + MISSING_KEY);
            return "found, although the demo never created it";
        } catch (CliException e) {
            return e.exitCode() == ExitCode.NOT_FOUND ? "not found (HTTP 404)" : e.getMessage();
        }
    }

    private static boolean printMissing(PrintWriter out, String restAnswer, ConfigFetchExample.config_fetch_item item) {
        boolean notFound = item.read_status == MvStatus.OKAY.code()
                && item.result == MvConfigKeyFetchResult.KEYNOTFOUND.code();

        out.printf("Account config %s (never created)%n", MISSING_KEY);
        out.printf("  REST API: %s%n", restAnswer);
        out.printf("  firmware: %s%n%n", itemStatus(item));
        return notFound;
    }

    /** Lists the fields the REST API returned for the secret; the API never returns its value. */
    private static String metadataLine(JsonNode metadata) {
        Map<String, String> fields = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> iterator = metadata.fields();
        while (iterator.hasNext()) {
            Map.Entry<String, JsonNode> field = iterator.next();
            // Defence in depth: the API omits the value, and the demo would not print one if it appeared.
            if (!field.getKey().equals("value")) {
                fields.put(field.getKey(), field.getValue().asText());
            }
        }
        return fields.toString();
    }

    private static String itemStatus(ConfigFetchExample.config_fetch_item item) {
        MvStatus status = MvStatus.fromCode(Integer.toUnsignedLong(item.read_status));
        String statusName = status == null ? "status " + Integer.toUnsignedString(item.read_status) : status.cName();
        if (status != MvStatus.OKAY) {
            return statusName;
        }
        for (MvConfigKeyFetchResult result : MvConfigKeyFetchResult.values()) {
            if (result.code() == item.result) {
                return result.name();
            }
        }
        return "result " + Integer.toUnsignedString(item.result);
    }

    private static String outcomeName(int outcome) {
        return outcome == ConfigFetchExample.CONFIG_FETCH_OK ? "OK" : "stopped with outcome " + outcome;
    }

    private static String digestPrefix(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(digest, 0, DIGEST_BYTES_SHOWN);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM, which every Java 17 runtime has", e);
        }
    }
}
