package dev.mvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.rest.RestServer;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.link.ItemStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client commands against a real REST server on port 0 with an in-memory cloud. */
class ClientCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET_VALUE = "s3cr3t-value-that-must-never-be-printed";

    private static SimulatedCloud cloud;
    private static RestServer server;
    private static AccountRecord account;
    private static Map<String, String> environment;

    @TempDir
    Path temp;

    @BeforeAll
    static void startServer() {
        cloud = SimulatedCloud.inMemory();
        account = cloud.createAccount();
        server = cloud.startRest(new InetSocketAddress("127.0.0.1", 0), null);
        environment = Map.of(
                "MVSIM_URL", server.baseUri().toString(),
                "MVSIM_ACCOUNT_SID", account.sid(),
                "MVSIM_AUTH_TOKEN", account.authToken());
    }

    @AfterAll
    static void stopServer() {
        cloud.close();
    }

    @Test
    void secretLifecycleNeverPrintsValue() throws IOException {
        CliRun created = CliRun.run(environment, SECRET_VALUE + "\n", "secrets", "create", "lifecycle-secret", "--json");
        assertThat(created.exitCode()).as(created.err()).isEqualTo(ExitCode.OK);
        JsonNode createdJson = JSON.readTree(created.out());
        assertThat(createdJson.get("key").asText()).isEqualTo("lifecycle-secret");
        assertThat(createdJson.has("value")).isFalse();

        CliRun fetched = CliRun.run(environment, "", "secrets", "get", "lifecycle-secret");
        assertThat(fetched.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(fetched.out()).contains("lifecycle-secret").contains("date_rotated");

        CliRun updated = CliRun.run(environment, "rotated-" + SECRET_VALUE, "secrets", "update", "lifecycle-secret");
        assertThat(updated.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(updated.out()).startsWith("Rotated account secret 'lifecycle-secret'");

        CliRun listed = CliRun.run(environment, "", "secrets", "list", "--json");
        assertThat(listed.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(JSON.readTree(listed.out()).get("secrets").findValuesAsText("key")).contains("lifecycle-secret");

        CliRun deleted = CliRun.run(environment, "", "secrets", "delete", "lifecycle-secret", "--json");
        assertThat(deleted.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(JSON.readTree(deleted.out()).get("deleted").asBoolean()).isTrue();

        for (CliRun run : new CliRun[] {created, fetched, updated, listed, deleted}) {
            assertThat(run.out() + run.err()).doesNotContain(SECRET_VALUE);
        }
    }

    @Test
    void secretValueFromStdinDropsOneNewline() {
        CliRun created = CliRun.run(environment, "line one\nline two\n", "secrets", "create", "multi-line");

        assertThat(created.exitCode()).as(created.err()).isEqualTo(ExitCode.OK);
        assertThat(cloud.findItem(ItemId.account(account.sid(), ItemStore.SECRET, "multi-line")).orElseThrow().value())
                .isEqualTo("line one\nline two");
    }

    @Test
    void valueFileDashReadsStdin() {
        CliRun created = CliRun.run(environment, "from-stdin\r\n", "configs", "create", "dash-file",
                "--value-file", "-");

        assertThat(created.exitCode()).as(created.err()).isEqualTo(ExitCode.OK);
        assertThat(cloud.findItem(ItemId.account(account.sid(), ItemStore.CONFIG, "dash-file")).orElseThrow().value())
                .isEqualTo("from-stdin");
    }

    @Test
    void keepNewlineKeepsLineEnding() {
        CliRun created = CliRun.run(environment, "kept\n", "configs", "create", "kept-newline", "--keep-newline");

        assertThat(created.exitCode()).as(created.err()).isEqualTo(ExitCode.OK);
        assertThat(cloud.findItem(ItemId.account(account.sid(), ItemStore.CONFIG, "kept-newline")).orElseThrow().value())
                .isEqualTo("kept\n");
    }

    @Test
    void configValueFileRoundTrips() throws IOException {
        String value = "a=1&b=2+3%\nnon-ASCII: Grüße ✓";
        Path file = Files.writeString(temp.resolve("config.txt"), value);

        CliRun created = CliRun.run(environment, "", "configs", "create", "round-trip", "--value-file", file.toString());
        assertThat(created.exitCode()).as(created.err()).isEqualTo(ExitCode.OK);
        assertThat(created.out()).isEqualTo("Created account config 'round-trip'.\n");

        CliRun fetched = CliRun.run(environment, "", "configs", "get", "round-trip");
        assertThat(fetched.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(fetched.out()).isEqualTo(value + "\n");
    }

    @Test
    void configUpdateListAndDelete() throws IOException {
        CliRun.run(environment, "", "configs", "create", "update-me", "--value", "before");

        CliRun updated = CliRun.run(environment, "", "configs", "update", "update-me", "--value", "after", "--json");
        assertThat(updated.exitCode()).as(updated.err()).isEqualTo(ExitCode.OK);
        assertThat(JSON.readTree(updated.out()).get("value").asText()).isEqualTo("after");

        CliRun listed = CliRun.run(environment, "", "configs", "list");
        assertThat(listed.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(listed.out()).startsWith("KEY").contains("DATE_UPDATED").contains("update-me");

        CliRun deleted = CliRun.run(environment, "", "configs", "delete", "update-me");
        assertThat(deleted.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(deleted.out()).isEqualTo("Deleted account config 'update-me'.\n");

        CliRun afterDelete = CliRun.run(environment, "", "configs", "get", "update-me");
        assertThat(afterDelete.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
    }

    @Test
    void keyWithReservedCharactersRoundTrips() {
        String key = "a%b&c?d#e+f=g";

        CliRun created = CliRun.run(environment, "", "configs", "create", key, "--value", "v");
        assertThat(created.exitCode()).as(created.err()).isEqualTo(ExitCode.OK);

        CliRun fetched = CliRun.run(environment, "", "configs", "get", key, "--json");
        assertThat(fetched.exitCode()).as(fetched.err()).isEqualTo(ExitCode.OK);
        assertThat(fetched.out()).contains("\"key\" : \"" + key + "\"");
    }

    @Test
    void deviceAddJsonHasSidAndKey() throws IOException {
        CliRun added = CliRun.run(environment, "", "devices", "add", "--name", "bench-rig-1", "--json");

        assertThat(added.exitCode()).as(added.err()).isEqualTo(ExitCode.OK);
        JsonNode device = JSON.readTree(added.out());
        assertThat(device.get("sid").asText()).matches("UV[0-9a-f]{32}");
        assertThat(device.get("device_key").asText()).matches("[0-9a-f]{64}");
        assertThat(device.get("unique_name").asText()).isEqualTo("bench-rig-1");

        CliRun listed = CliRun.run(environment, "", "devices", "list");
        assertThat(listed.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(listed.out()).contains(device.get("sid").asText()).contains("bench-rig-1");
    }

    @Test
    void deleteByDeviceNamePrintsSid() throws IOException {
        String sid = JSON.readTree(CliRun.run(environment, "", "devices", "add", "--name", "delete-rig", "--json")
                .out()).get("sid").asText();
        CliRun created = CliRun.run(environment, "v", "secrets", "create", "by-name", "--device", "delete-rig");
        assertThat(created.exitCode()).as(created.err()).isEqualTo(ExitCode.OK);

        CliRun deleted = CliRun.run(environment, "", "secrets", "delete", "by-name", "--device", "delete-rig", "--json");

        assertThat(deleted.exitCode()).as(deleted.err()).isEqualTo(ExitCode.OK);
        JsonNode result = JSON.readTree(deleted.out());
        assertThat(result.get("device_sid").asText()).isEqualTo(sid);
        assertThat(result.get("key").asText()).isEqualTo("by-name");
        assertThat(result.get("deleted").asBoolean()).isTrue();
    }

    @Test
    void deleteOnUnknownDeviceIsNotFound() {
        CliRun deleted = CliRun.run(environment, "", "configs", "delete", "k", "--device", "no-such-rig", "--json");

        assertThat(deleted.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(deleted.err()).contains("no-such-rig");
        assertThat(deleted.out()).isEmpty();
    }

    @Test
    void deviceScopeKeepsItemsApart() throws IOException {
        String sid = JSON.readTree(CliRun.run(environment, "", "devices", "add", "--json").out()).get("sid").asText();

        CliRun created = CliRun.run(environment, "", "secrets", "create", "device-only", "--device", sid,
                "--value", SECRET_VALUE, "--json");
        assertThat(created.exitCode()).as(created.err()).isEqualTo(ExitCode.OK);
        assertThat(JSON.readTree(created.out()).get("device_sid").asText()).isEqualTo(sid);

        CliRun deviceList = CliRun.run(environment, "", "secrets", "list", "--device", sid, "--json");
        assertThat(JSON.readTree(deviceList.out()).get("secrets").findValuesAsText("key")).containsExactly("device-only");

        CliRun accountGet = CliRun.run(environment, "", "secrets", "get", "device-only");
        assertThat(accountGet.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
    }

    @Test
    void listFollowsEveryPage() throws IOException {
        String sid = JSON.readTree(CliRun.run(environment, "", "devices", "add", "--json").out()).get("sid").asText();
        int count = Pages.PAGE_SIZE + 5;
        for (int i = 0; i < count; i++) {
            cloud.createItem(ItemId.device(account.sid(), sid, ItemStore.CONFIG, String.format("k%04d", i)), "v");
        }

        CliRun listed = CliRun.run(environment, "", "configs", "list", "--device", sid, "--json");

        assertThat(listed.exitCode()).as(listed.err()).isEqualTo(ExitCode.OK);
        assertThat(JSON.readTree(listed.out()).get("configs").size()).isEqualTo(count);
    }

    @Test
    void duplicateKeyShowsServerMessage() {
        CliRun.run(environment, "", "configs", "create", "twice", "--value", "1");

        CliRun second = CliRun.run(environment, "", "configs", "create", "twice", "--value", "2");

        assertThat(second.exitCode()).isEqualTo(ExitCode.REJECTED);
        assertThat(second.errLines()).hasSize(1);
        assertThat(second.err()).contains("twice").contains("HTTP 409");
    }

    @Test
    void invalidKeyShowsServerMessage() {
        CliRun run = CliRun.run(environment, "", "secrets", "create", "has space", "--value", SECRET_VALUE);

        assertThat(run.exitCode()).isEqualTo(ExitCode.REJECTED);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("HTTP 400").contains("Key").doesNotContain(SECRET_VALUE);
    }

    @Test
    void emptyStdinValueIsRejectedByServer() {
        CliRun run = CliRun.run(environment, "", "secrets", "create", "empty-value");

        assertThat(run.exitCode()).isEqualTo(ExitCode.REJECTED);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("Value");
    }

    @Test
    void wrongTokenNamesSidAndSourceNotToken() {
        Map<String, String> wrong = new HashMap<>(environment);
        wrong.put("MVSIM_AUTH_TOKEN", "wrong-token-0123456789");

        CliRun run = CliRun.run(wrong, "", "secrets", "list");

        assertThat(run.exitCode()).isEqualTo(ExitCode.UNAUTHORIZED);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains(account.sid()).contains("MVSIM_AUTH_TOKEN").contains("401")
                .doesNotContain("wrong-token-0123456789");
    }

    @Test
    void credentialsFileIsUsedWithoutEnvironment() throws IOException {
        new CredentialsFile(temp).create(account.sid(), account.authToken());

        CliRun run = CliRun.run(Map.of(), "", "devices", "list", "--url", server.baseUri().toString(),
                "--data-dir", temp.toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(JSON.readTree(run.out()).has("devices")).isTrue();
    }

    @Test
    void wrongTokenFromFileNamesTheFile() throws IOException {
        CredentialsFile file = new CredentialsFile(temp);
        file.create(account.sid(), "stale-token-from-an-old-data-dir");

        CliRun run = CliRun.run(Map.of(), "", "configs", "list", "--url", server.baseUri().toString(),
                "--data-dir", temp.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.UNAUTHORIZED);
        assertThat(run.err()).contains(file.path().toString()).doesNotContain("stale-token-from-an-old-data-dir");
    }
}
