package dev.mvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.cloud.store.crypto.MasterKey;
import dev.mvsim.cloud.store.crypto.MasterKeySource;
import dev.mvsim.cloud.store.sqlite.SqliteCloudStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code mvsim serve} reports a store it cannot open: each cause with its own message and status. */
class ServeStoreFailuresTest {

    private static final String KEY_A = "a".repeat(64);
    private static final String KEY_B = "b".repeat(64);

    @TempDir
    Path dataDirectory;

    @Test
    void lockedStoreExitsStoreInUse() throws Exception {
        try (SqliteCloudStore holder = SqliteCloudStore.open(dataDirectory,
                MasterKey.generate(new SecureRandom()))) {
            CliRun run = serve(Map.of());

            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.STORE_IN_USE);
            assertThat(run.errLines()).hasSize(1);
            assertThat(run.err()).contains(dataDirectory.toAbsolutePath().toString());
            assertThat(run.err()).contains("in use by");
            assertThat(run.err()).contains("--data-dir");
        }
    }

    @Test
    void wrongEnvironmentKeyExitsMasterKey() throws Exception {
        assertThat(serve(Map.of(MasterKeySource.ENVIRONMENT_VARIABLE, KEY_A)).exitCode()).isEqualTo(ExitCode.OK);

        CliRun run = serve(Map.of(MasterKeySource.ENVIRONMENT_VARIABLE, KEY_B));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.MASTER_KEY);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("does not match");
        assertThat(run.err()).contains("environment variable " + MasterKeySource.ENVIRONMENT_VARIABLE);
        assertThat(run.err()).doesNotContain(KEY_A);
        assertThat(run.err()).doesNotContain(KEY_B);
    }

    @Test
    void wrongKeyFileExitsMasterKey() throws Exception {
        assertThat(serve(Map.of(MasterKeySource.ENVIRONMENT_VARIABLE, KEY_A)).exitCode()).isEqualTo(ExitCode.OK);
        Path keyFile = dataDirectory.resolve(MasterKeySource.KEY_FILE_NAME);
        assertThat(keyFile).doesNotExist();

        CliRun run = serve(Map.of());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.MASTER_KEY);
        assertThat(run.err()).contains("does not match");
        assertThat(run.err()).contains("master key file " + keyFile.toAbsolutePath());
        assertThat(run.err()).doesNotContain(Files.readString(keyFile).strip());
        assertThat(run.err()).doesNotContain(KEY_A);
    }

    @Test
    void notADatabaseExitsServeFailed() throws Exception {
        Files.writeString(dataDirectory.resolve(SqliteCloudStore.DATABASE_FILE_NAME), "plain text, not SQLite at all");

        CliRun run = serve(Map.of(MasterKeySource.ENVIRONMENT_VARIABLE, KEY_A));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.SERVE_FAILED);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).doesNotContain("in use by");
    }

    private CliRun serve(Map<String, String> variables) throws Exception {
        return RunningServe.start(variables, "--port", "0", "--data-dir", dataDirectory.toString()).stop();
    }
}
