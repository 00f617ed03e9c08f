package dev.mvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mvsim.cloud.store.sqlite.SqliteCloudStore;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mvsim serve} run in process on port 0. */
class ServeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDirectory;

    @Test
    void firstStartPrintsCredentialsOnce() throws Exception {
        RunningServe first = RunningServe.start(Map.of(), "--port", "0", "--data-dir", dataDirectory.toString());
        CliRun firstRun = first.stop();

        Path credentials = dataDirectory.resolve("credentials.json");
        assertThat(firstRun.exitCode()).as(firstRun.err()).isEqualTo(ExitCode.OK);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
        JsonNode stored = JSON.readTree(credentials.toFile());
        String token = stored.get("auth_token").asText();
        assertThat(firstRun.out()).contains(stored.get("account_sid").asText()).contains("MVSIM_AUTH_TOKEN=" + token);

        RunningServe second = RunningServe.start(Map.of(), "--port", "0", "--data-dir", dataDirectory.toString());
        CliRun secondRun = second.stop();

        assertThat(secondRun.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(secondRun.out()).contains(stored.get("account_sid").asText()).doesNotContain(token);
    }

    @Test
    void clientReachesServeThroughDataDirectory() throws Exception {
        try (RunningServe serve = RunningServe.start(Map.of(), "--port", "0", "--in-memory",
                "--data-dir", dataDirectory.toString())) {

            CliRun created = CliRun.run(Map.of("MVSIM_URL", serve.baseUri().toString()), "value",
                    "secrets", "create", "via-data-dir", "--data-dir", dataDirectory.toString());

            assertThat(created.exitCode()).as(created.err()).isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void environmentCredentialsFixTheAccount() throws Exception {
        Map<String, String> fixed = Map.of(
                "MVSIM_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef",
                "MVSIM_AUTH_TOKEN", "fixed-token-for-a-scripted-rig");

        try (RunningServe serve = RunningServe.start(fixed, "--port", "0", "--in-memory",
                "--data-dir", dataDirectory.toString(), "--json")) {
            Map<String, String> client = Map.of("MVSIM_URL", serve.baseUri().toString(),
                    "MVSIM_ACCOUNT_SID", fixed.get("MVSIM_ACCOUNT_SID"),
                    "MVSIM_AUTH_TOKEN", fixed.get("MVSIM_AUTH_TOKEN"));

            CliRun listed = CliRun.run(client, "", "configs", "list", "--json");

            assertThat(listed.exitCode()).as(listed.err()).isEqualTo(ExitCode.OK);
        }
        assertThat(dataDirectory.resolve("credentials.json")).doesNotExist();
    }

    @Test
    void jsonStartLineParses() throws Exception {
        RunningServe serve = RunningServe.start(Map.of(), "--port", "0", "--in-memory",
                "--data-dir", dataDirectory.toString(), "--json");
        CliRun run = serve.stop();

        assertThat(run.out().lines()).hasSize(1);
        JsonNode start = JSON.readTree(run.out());
        assertThat(start.get("url").asText()).isEqualTo(serve.baseUri().toString());
        assertThat(start.get("account_sid").asText()).matches("AC[0-9a-f]{32}");
        assertThat(start.get("auth_token").asText()).isNotEmpty();
    }

    @Test
    void foreignBindAddressIsNamedNotPort() throws Exception {
        // 192.0.2.1 is in TEST-NET-1, reserved for documentation by RFC 5737, so no machine should have it.
        RunningServe serve = RunningServe.start(Map.of(), "--port", "0", "--bind", "192.0.2.1",
                "--in-memory", "--data-dir", dataDirectory.toString());
        CliRun run = serve.stop();

        assertThat(run.exitCode()).isEqualTo(ExitCode.SERVE_FAILED);
        assertThat(run.err()).contains("192.0.2.1 is not an address of this machine");
        assertThat(run.err()).doesNotContain("--port");
    }

    @Test
    void busyPortFailsWithOneLine() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            RunningServe serve = RunningServe.start(Map.of(), "--port", String.valueOf(busy.getLocalPort()),
                    "--in-memory", "--data-dir", dataDirectory.toString());
            CliRun run = serve.stop();

            assertThat(serve.listening()).isFalse();
            assertThat(run.exitCode()).isEqualTo(ExitCode.SERVE_FAILED);
            assertThat(run.errLines()).hasSize(1);
            assertThat(run.err()).contains(String.valueOf(busy.getLocalPort())).contains("--port");
            assertThat(dataDirectory.resolve("credentials.json")).doesNotExist();
        }
    }

    @Test
    void looseCredentialsFileStopsServe() throws Exception {
        CliRun first = RunningServe.start(Map.of(), "--port", "0", "--in-memory",
                "--data-dir", dataDirectory.toString()).stop();
        assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCode.OK);
        Path credentials = dataDirectory.resolve("credentials.json");
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-rw-r--"));

        RunningServe serve = RunningServe.start(Map.of(), "--port", "0", "--in-memory",
                "--data-dir", dataDirectory.toString());
        CliRun run = serve.stop();

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("chmod 600");
    }

    @Test
    void inMemoryCreatesOwnerOnlyDataDirectory() throws Exception {
        Path nested = dataDirectory.resolve("parent").resolve("data");

        CliRun run = RunningServe.start(Map.of(), "--port", "0", "--in-memory", "--data-dir", nested.toString()).stop();

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested.getParent())))
                .isEqualTo("rwx------");
        assertThat(nested.resolve(SqliteCloudStore.DATABASE_FILE_NAME)).doesNotExist();
    }

    @Test
    void inMemoryWithEnvironmentAccountCreatesNoDirectory() throws Exception {
        Path absent = dataDirectory.resolve("never-created");
        Map<String, String> fixed = Map.of(
                "MVSIM_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef",
                "MVSIM_AUTH_TOKEN", "fixed-token-for-a-scripted-rig");

        CliRun run = RunningServe.start(fixed, "--port", "0", "--in-memory", "--data-dir", absent.toString()).stop();

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(absent).doesNotExist();
    }

    @Test
    void halfSetEnvironmentIsRejected() throws Exception {
        RunningServe serve = RunningServe.start(Map.of("MVSIM_AUTH_TOKEN", "only-the-token"),
                "--port", "0", "--in-memory", "--data-dir", dataDirectory.toString());
        CliRun run = serve.stop();

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("MVSIM_ACCOUNT_SID").doesNotContain("only-the-token");
    }

    @Test
    void jsonStartLineListsBridgeEndpoints() throws Exception {
        Path socket = dataDirectory.resolve("bridge.sock");
        RunningServe serve = RunningServe.start(Map.of(), "--port", "0", "--in-memory",
                "--data-dir", dataDirectory.toString(), "--json",
                "--bridge-port", "0", "--bridge-unix", socket.toString(), "--bridge-clock", "virtual");
        CliRun run = serve.stop();

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out().lines()).hasSize(1);
        JsonNode start = JSON.readTree(run.out());
        assertThat(start.get("url").asText()).isEqualTo(serve.baseUri().toString());
        JsonNode bridge = start.get("bridge");
        assertThat(bridge.get("tcp").asText()).matches("tcp://127\\.0\\.0\\.1:[1-9][0-9]*");
        assertThat(bridge.get("unix").asText()).isEqualTo("unix:" + socket.toAbsolutePath());
        assertThat(bridge.get("clock").asText()).isEqualTo("virtual");
        assertThat(bridge.has("serial")).isFalse();
    }

    @Test
    void jsonStartLineWithoutBridgeHasNoBridge() throws Exception {
        CliRun run = RunningServe.start(Map.of(), "--port", "0", "--in-memory",
                "--data-dir", dataDirectory.toString(), "--json").stop();

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(JSON.readTree(run.out()).has("bridge")).isFalse();
    }

    @Test
    void textStartLinesNameBridgeEndpoint() throws Exception {
        CliRun run = RunningServe.start(Map.of(), "--port", "0", "--in-memory",
                "--data-dir", dataDirectory.toString(), "--bridge-port", "0").stop();

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out().lines().toList().get(0)).startsWith("mvsim listening at http://");
        assertThat(run.out().lines().toList().get(1))
                .matches("mvsim bridge listening at tcp://127\\.0\\.0\\.1:[0-9]+ for devices \\(default clock: wall\\)");
    }

    @Test
    void bridgeClockIgnoresCase() throws Exception {
        for (String value : List.of("WALL", "Virtual", "wall")) {
            CliRun run = RunningServe.start(Map.of(), "--port", "0", "--in-memory",
                    "--data-dir", dataDirectory.toString(), "--json", "--bridge-port", "0",
                    "--bridge-clock", value).stop();

            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
            assertThat(JSON.readTree(run.out()).get("bridge").get("clock").asText())
                    .isEqualTo(value.toLowerCase(java.util.Locale.ROOT));
        }
    }

    @Test
    void bridgeClockRejectsOtherValues() throws Exception {
        for (String value : List.of("SERVER_DEFAULT", "monotonic", "")) {
            RunningServe serve = RunningServe.start(Map.of(), "--port", "0", "--in-memory",
                    "--data-dir", dataDirectory.toString(), "--bridge-port", "0", "--bridge-clock", value);
            CliRun run = serve.stop();

            assertThat(serve.listening()).as(value).isFalse();
            assertThat(run.exitCode()).as(value).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).as(value).contains("'" + value + "'").contains("virtual, wall");
        }
    }

    @Test
    void outOfRangeBridgePortIsUsageError() throws Exception {
        for (String value : List.of("70000", "-1")) {
            RunningServe serve = RunningServe.start(Map.of(), "--port", "0", "--in-memory",
                    "--data-dir", dataDirectory.toString(), "--bridge-port", value);
            CliRun run = serve.stop();

            assertThat(serve.listening()).as(value).isFalse();
            assertThat(run.exitCode()).as(value).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).as(value).contains("--bridge-port " + value).contains("0 to 65535");
        }
    }

    @Test
    void bridgeUnixPathProblemsAreNamed() throws Exception {
        Path missingDirectory = dataDirectory.resolve("no-such-directory").resolve("bridge.sock");
        Path tooLong = dataDirectory.resolve("s".repeat(120) + ".sock");

        for (Path path : List.of(missingDirectory, tooLong)) {
            RunningServe serve = RunningServe.start(Map.of(), "--port", "0", "--in-memory",
                    "--data-dir", dataDirectory.toString(), "--bridge-unix", path.toString());
            CliRun run = serve.stop();

            assertThat(serve.listening()).as(path.toString()).isFalse();
            assertThat(run.exitCode()).as(path.toString()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).as(path.toString()).contains("--bridge-unix " + path.toAbsolutePath());
        }
    }

    @Test
    void emptyPathsAreUsageErrors() throws Exception {
        Map<List<String>, String> problems = Map.of(
                List.of("--data-dir", ""), "Invalid --data-dir: the path is empty",
                List.of("--data-dir", dataDirectory.toString(), "--bridge-unix", ""),
                "Invalid --bridge-unix: the path is empty",
                List.of("--data-dir", dataDirectory.toString(), "--bridge-serial", "?baud=115200"),
                "Invalid --bridge-serial: the setting '?baud=115200' names no device path");

        for (Map.Entry<List<String>, String> problem : problems.entrySet()) {
            List<String> arguments = new java.util.ArrayList<>(List.of("--port", "0", "--in-memory"));
            arguments.addAll(problem.getKey());
            RunningServe serve = RunningServe.start(Map.of(), arguments.toArray(String[]::new));
            CliRun run = serve.stop();

            assertThat(serve.listening()).as(arguments.toString()).isFalse();
            assertThat(run.exitCode()).as(arguments.toString()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).as(arguments.toString()).contains(problem.getValue());
        }
    }

    @Test
    void unsupportedBaudRateIsUsageError() throws Exception {
        RunningServe serve = RunningServe.start(Map.of(), "--port", "0", "--in-memory",
                "--data-dir", dataDirectory.toString(), "--bridge-serial", "/dev/null?baud=12345");
        CliRun run = serve.stop();

        assertThat(serve.listening()).isFalse();
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("invalid baud rate 12345 in /dev/null?baud=12345")
                .contains("9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600");
    }

    @Test
    void bridgeClockWithoutListenerIsUsageError() throws Exception {
        RunningServe serve = RunningServe.start(Map.of(), "--port", "0", "--in-memory",
                "--data-dir", dataDirectory.toString(), "--bridge-clock", "virtual");
        CliRun run = serve.stop();

        assertThat(serve.listening()).isFalse();
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("--bridge-clock sets the clock of bridge devices, and no bridge was requested");
    }

    @Test
    void busyBridgePortIsNamed() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            RunningServe serve = RunningServe.start(Map.of(), "--port", "0", "--in-memory",
                    "--data-dir", dataDirectory.toString(), "--bridge-port", String.valueOf(busy.getLocalPort()));
            CliRun run = serve.stop();

            assertThat(serve.listening()).isFalse();
            assertThat(run.exitCode()).isEqualTo(ExitCode.SERVE_FAILED);
            assertThat(run.errLines()).hasSize(1);
            assertThat(run.err()).contains("port " + busy.getLocalPort()).contains("--bridge-port");
        }
    }

    @Test
    void ipv6BindServesBridge() throws Exception {
        RunningServe serve = RunningServe.start(Map.of(), "--port", "0", "--bind", "::1", "--in-memory",
                "--data-dir", dataDirectory.toString(), "--json", "--bridge-port", "0");
        CliRun run = serve.stop();

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        JsonNode start = JSON.readTree(run.out());
        assertThat(start.get("url").asText()).matches("http://\\[[0:]+1\\]:[1-9][0-9]*");
        assertThat(start.get("bridge").get("tcp").asText()).matches("tcp://\\[[0:]+1\\]:[1-9][0-9]*");
    }

    @Test
    void invalidEnvironmentSidOpensNothing() throws Exception {
        Path fresh = dataDirectory.resolve("fresh");
        RunningServe serve = RunningServe.start(
                Map.of("MVSIM_ACCOUNT_SID", "ACnot-hex", "MVSIM_AUTH_TOKEN", "some-token"),
                "--port", "0", "--data-dir", fresh.toString());
        CliRun run = serve.stop();

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("MVSIM_ACCOUNT_SID is invalid").doesNotContain("ACnot-hex");
        assertThat(fresh).doesNotExist();
    }

    @Test
    void tokenMismatchFailsBeforeBinding() throws Exception {
        String sid = "AC0123456789abcdef0123456789abcdef";
        RunningServe.start(Map.of("MVSIM_ACCOUNT_SID", sid, "MVSIM_AUTH_TOKEN", "first-token"),
                "--port", "0", "--data-dir", dataDirectory.toString()).stop();

        // With the port taken, a check after binding would fail on the port instead.
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            RunningServe serve = RunningServe.start(Map.of("MVSIM_ACCOUNT_SID", sid, "MVSIM_AUTH_TOKEN", "other-token"),
                    "--port", String.valueOf(busy.getLocalPort()), "--data-dir", dataDirectory.toString());
            CliRun run = serve.stop();

            assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).contains("another auth token").doesNotContain("other-token");
        }
    }
}
