package dev.mvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.cloud.store.crypto.MasterKey;
import dev.mvsim.cloud.store.crypto.MasterKeySource;
import dev.mvsim.cloud.store.sqlite.KeyRotation;
import dev.mvsim.cloud.store.sqlite.SqliteCloudStore;
import dev.mvsim.cloud.store.sqlite.SqliteStoreOptions;
import dev.mvsim.link.ItemStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mvsim store rotate-key} on a stopped store, with the key in the key file or the environment. */
class RotateKeyCommandTest {

    private static final String ACCOUNT = "AC" + "b".repeat(32);
    private static final ItemId SECRET = ItemId.account(ACCOUNT, ItemStore.SECRET, "db-password");
    private static final String OLD_HEX = "1".repeat(64);
    private static final String NEW_HEX = "2".repeat(64);

    @TempDir
    Path dataDirectory;

    @Test
    void keyFileRotationReplacesKeyFile() throws Exception {
        createStore(Map.of());
        Path keyFile = dataDirectory.resolve(MasterKeySource.KEY_FILE_NAME);
        String oldKeyText = Files.readString(keyFile);

        CliRun run = rotate(Map.of());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("auth tokens 0, device keys 0, secrets 1.");
        String newKeyText = Files.readString(keyFile);
        assertThat(newKeyText).isNotEqualTo(oldKeyText);
        assertThat(run.out()).doesNotContain(newKeyText.strip()).doesNotContain(oldKeyText.strip());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(dataDirectory.resolve(MasterKeySource.PENDING_KEY_FILE_NAME)).doesNotExist();
        assertThat(readSecret(Map.of())).isEqualTo("hunter2");
    }

    @Test
    void interruptedRotationIsFinished() throws Exception {
        createStore(Map.of());
        MasterKey oldKey = MasterKeySource.readExistingKeyFile(dataDirectory);
        MasterKey newKey = MasterKey.generate(new SecureRandom());
        // A rotation that committed and then stopped before renaming its pending key file.
        MasterKeySource.writePendingKeyFile(dataDirectory, newKey);
        KeyRotation.rotate(dataDirectory, oldKey, newKey);
        CliRun serve = RunningServe.start(Map.of(), "--port", "0", "--data-dir", dataDirectory.toString()).stop();
        assertThat(serve.exitCode()).isEqualTo(ExitCode.MASTER_KEY);
        assertThat(serve.err()).contains("rotate-key");

        CliRun run = rotate(Map.of());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("finished the interrupted rotation");
        assertThat(MasterKeySource.readExistingKeyFile(dataDirectory)).isEqualTo(newKey);
        assertThat(readSecret(Map.of())).isEqualTo("hunter2");
    }

    @Test
    void environmentKeyNeedsNewKeyVariable() {
        createStore(Map.of(MasterKeySource.ENVIRONMENT_VARIABLE, OLD_HEX));

        CliRun run = rotate(Map.of(MasterKeySource.ENVIRONMENT_VARIABLE, OLD_HEX));

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains(RotateKeyCommand.NEW_KEY_VARIABLE);
        assertThat(run.err()).doesNotContain(OLD_HEX);
    }

    @Test
    void environmentKeyRotatesToNewVariable() {
        createStore(Map.of(MasterKeySource.ENVIRONMENT_VARIABLE, OLD_HEX));

        CliRun run = rotate(Map.of(MasterKeySource.ENVIRONMENT_VARIABLE, OLD_HEX,
                RotateKeyCommand.NEW_KEY_VARIABLE, NEW_HEX));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).doesNotContain(NEW_HEX).doesNotContain(OLD_HEX);
        assertThat(dataDirectory.resolve(MasterKeySource.KEY_FILE_NAME)).doesNotExist();
        assertThat(readSecret(Map.of(MasterKeySource.ENVIRONMENT_VARIABLE, NEW_HEX))).isEqualTo("hunter2");
    }

    @Test
    void wrongOldKeyExitsMasterKey() {
        createStore(Map.of(MasterKeySource.ENVIRONMENT_VARIABLE, OLD_HEX));

        CliRun run = rotate(Map.of(MasterKeySource.ENVIRONMENT_VARIABLE, "3".repeat(64),
                RotateKeyCommand.NEW_KEY_VARIABLE, NEW_HEX));

        assertThat(run.exitCode()).isEqualTo(ExitCode.MASTER_KEY);
        assertThat(run.err()).contains("neither");
        assertThat(readSecret(Map.of(MasterKeySource.ENVIRONMENT_VARIABLE, OLD_HEX))).isEqualTo("hunter2");
    }

    @Test
    void rotationWhileServingExitsStoreInUse() throws Exception {
        createStore(Map.of());
        try (RunningServe serve = RunningServe.start(Map.of(), "--port", "0", "--data-dir", dataDirectory.toString())) {
            assertThat(serve.listening()).isTrue();

            CliRun run = rotate(Map.of());

            assertThat(run.exitCode()).isEqualTo(ExitCode.STORE_IN_USE);
            assertThat(run.err()).contains("in use by");
            assertThat(dataDirectory.resolve(MasterKeySource.PENDING_KEY_FILE_NAME)).doesNotExist();
        }
    }

    private void createStore(Map<String, String> environment) {
        try (SqliteCloudStore store = SqliteCloudStore.open(dataDirectory, environment, SqliteStoreOptions.defaults())) {
            store.insertItem(new StoredItem(SECRET, "hunter2", Instant.parse("2026-01-01T00:00:00Z")));
        }
    }

    private String readSecret(Map<String, String> environment) {
        try (SqliteCloudStore store = SqliteCloudStore.open(dataDirectory, environment, SqliteStoreOptions.defaults())) {
            return store.findItem(SECRET).orElseThrow().value();
        }
    }

    private CliRun rotate(Map<String, String> environment) {
        return CliRun.run(environment, "", "store", "rotate-key", "--data-dir", dataDirectory.toString());
    }
}
