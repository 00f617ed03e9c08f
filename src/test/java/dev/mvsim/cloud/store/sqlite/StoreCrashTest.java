package dev.mvsim.cloud.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.cloud.store.crypto.MasterKey;
import dev.mvsim.cloud.store.crypto.MasterKeySource;
import dev.mvsim.link.ItemStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL and checks that every secret it acknowledged survived.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoreCrashTest {

    /** Acknowledgements to read before the kill; enough that many commits are in flight. */
    private static final int ACKS_BEFORE_KILL = 400;

    private static final int WRITER_THREADS = 4;

    @TempDir
    Path dataDirectory;

    @ParameterizedTest
    @EnumSource(Synchronous.class)
    void acknowledgedSecretsSurviveKill(Synchronous synchronous) throws Exception {
        MasterKey key = SqliteCloudStoreTest.TEST_KEY;
        Path childErrors = dataDirectory.resolveSibling(dataDirectory.getFileName() + "-stderr.txt");
        Process child = startChild(synchronous, key, childErrors);

        Set<String> acknowledged = new LinkedHashSet<>();
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            readAcks(output, acknowledged, ACKS_BEFORE_KILL, childErrors);

            // The running child holds the directory's lock, so this process is turned away at once.
            assertThatThrownBy(() -> SqliteCloudStore.open(dataDirectory, key))
                    .isInstanceOf(StoreLockedException.class)
                    .hasMessageContaining("process " + child.pid())
                    .hasMessageContaining(dataDirectory.toString());

            // Process.destroyForcibly sends SIGKILL on Linux and closes the pipe, so lines the
            // child printed after the last one read here are not checked.
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child exited after SIGKILL").isTrue();
        }
        assertThat(child.exitValue()).as("exit status of a SIGKILLed process").isEqualTo(137);

        // The lock died with the child, although its lock file stays.
        try (SqliteCloudStore store = SqliteCloudStore.open(dataDirectory, key)) {
            for (String acknowledgedKey : acknowledged) {
                Optional<StoredItem> item = store.findItem(
                        ItemId.account(CrashWriterMain.ACCOUNT, ItemStore.SECRET, acknowledgedKey));
                assertThat(item).as("acknowledged secret %s", acknowledgedKey).isPresent();
                assertThat(item.get().value()).isEqualTo(CrashWriterMain.valueOf(acknowledgedKey));
            }
        }
    }

    private Process startChild(Synchronous synchronous, MasterKey key, Path childErrors)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java,
                "-cp", System.getProperty("java.class.path"),
                CrashWriterMain.class.getName(),
                dataDirectory.toString(), synchronous.name(), String.valueOf(WRITER_THREADS));
        builder.environment().put(MasterKeySource.ENVIRONMENT_VARIABLE, key.toHex());
        builder.redirectError(childErrors.toFile());
        return builder.start();
    }

    /** Reads {@code count} "ack KEY" lines, failing with the child's stderr if output ends first. */
    private static void readAcks(BufferedReader output, Set<String> acknowledged, int count,
            Path childErrors) throws IOException {
        for (int read = 0; read < count; read++) {
            String line = output.readLine();
            assertThat(line).as("line %d of the child's output; its stderr: %s", read,
                            Files.exists(childErrors) ? Files.readString(childErrors) : "")
                    .isNotNull();
            assertThat(line).startsWith("ack ");
            acknowledged.add(line.substring("ack ".length()));
        }
    }
}
