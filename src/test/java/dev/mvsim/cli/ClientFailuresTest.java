package dev.mvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures the client detects without a working server: each one exits non-zero with one line. */
class ClientFailuresTest {

    private static final Map<String, String> CREDENTIALS = Map.of(
            "MVSIM_ACCOUNT_SID", "AC00000000000000000000000000000000",
            "MVSIM_AUTH_TOKEN", "test-token-never-printed");

    @TempDir
    Path temp;

    @Test
    void serverDownSaysHowToStartIt() throws IOException {
        String url = "http://127.0.0.1:" + unusedPort();

        CliRun run = CliRun.run(CREDENTIALS, "", "secrets", "list", "--url", url);

        assertThat(run.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains(url).contains("mvsim serve");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void missingCredentialsNameBothSources() {
        Path empty = temp.resolve("no-such-data-dir");

        CliRun run = CliRun.run(Map.of(), "", "configs", "list", "--data-dir", empty.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.UNAUTHORIZED);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("MVSIM_ACCOUNT_SID").contains(empty.resolve("credentials.json").toString());
    }

    @Test
    void halfSetCredentialsAreRejected() {
        CliRun run = CliRun.run(Map.of("MVSIM_ACCOUNT_SID", "AC00000000000000000000000000000000"), "",
                "secrets", "list");

        assertThat(run.exitCode()).isEqualTo(ExitCode.UNAUTHORIZED);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("MVSIM_AUTH_TOKEN is unset");
    }

    @Test
    void missingKeyIsUsageError() {
        CliRun run = CliRun.run(CREDENTIALS, "", "secrets", "create", "--value", "x");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("KEY").contains("--help");
    }

    @Test
    void unreadableValueFileIsUsageError() {
        Path missing = temp.resolve("missing-value.txt");

        CliRun run = CliRun.run(CREDENTIALS, "", "secrets", "create", "api-key", "--value-file", missing.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains(missing.toString()).contains("does not exist");
    }

    @Test
    void directoryAsValueFileIsUsageError() {
        CliRun run = CliRun.run(CREDENTIALS, "", "secrets", "create", "api-key", "--value-file", temp.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("is a directory");
    }

    @Test
    void binaryValueFileIsRejectedAsNotUtf8() throws IOException {
        Path binary = Files.write(temp.resolve("key.der"), new byte[] {(byte) 0xC3, (byte) 0x28, 0x00});

        CliRun run = CliRun.run(CREDENTIALS, "", "configs", "create", "cert", "--value-file", binary.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("not valid UTF-8");
    }

    @Test
    void valueAndValueFileTogetherAreRejected() throws IOException {
        Path file = Files.writeString(temp.resolve("v.txt"), "from-file");

        CliRun run = CliRun.run(CREDENTIALS, "", "configs", "create", "k", "--value", "v",
                "--value-file", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errLines()).hasSize(1);
    }

    @Test
    void invalidUrlIsUsageError() {
        CliRun run = CliRun.run(CREDENTIALS, "", "devices", "list", "--url", "ftp://127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("ftp://127.0.0.1:1");
    }

    @Test
    void unknownCommandIsUsageError() {
        CliRun run = CliRun.run(CREDENTIALS, "", "secrets", "rotate", "k");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errLines()).hasSize(1);
    }

    @Test
    void noCommandIsUsageError() {
        CliRun run = CliRun.run(CREDENTIALS, "");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("Missing command");
    }

    @Test
    void tokenNeverAppearsInFailures() throws IOException {
        String url = "http://127.0.0.1:" + unusedPort();

        CliRun run = CliRun.run(CREDENTIALS, "", "secrets", "get", "k", "--url", url);

        assertThat(run.err()).doesNotContain("test-token-never-printed");
    }

    @Test
    void malformedCredentialsFileHidesToken() throws IOException {
        Path dataDir = Files.createDirectories(temp.resolve("data"));
        Path file = Files.writeString(dataDir.resolve("credentials.json"),
                "{\"account_sid\":\"AC00000000000000000000000000000000\",\"auth_token\":LeakyTok3n99}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        CliRun run = CliRun.run(Map.of(), "", "secrets", "list", "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("not valid JSON at line 1");
        assertThat(run.err()).contains("creates a new account").contains("cannot reach");
        assertThat(run.err()).doesNotContain("LeakyTok3n99");
    }

    @Test
    void looseCredentialsFileIsRejected() throws IOException {
        Path dataDir = Files.createDirectories(temp.resolve("data"));
        Path file = Files.writeString(dataDir.resolve("credentials.json"),
                "{\"account_sid\":\"AC00000000000000000000000000000000\",\"auth_token\":\"Readable7Token\"}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        CliRun run = CliRun.run(Map.of(), "", "secrets", "list", "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("rw-r--r--");
        assertThat(run.err()).contains("chmod 600 " + file.toAbsolutePath());
        assertThat(run.err()).doesNotContain("Readable7Token");
    }

    @Test
    void groupReadableCredentialsFileIsRejected() throws IOException {
        Path dataDir = Files.createDirectories(temp.resolve("data"));
        Path file = Files.writeString(dataDir.resolve("credentials.json"),
                "{\"account_sid\":\"AC00000000000000000000000000000000\",\"auth_token\":\"t\"}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        CliRun run = CliRun.run(Map.of(), "", "configs", "list", "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("owner only");
    }

    /** Returns a port that nothing listens on, found by binding port 0 and closing it. */
    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
