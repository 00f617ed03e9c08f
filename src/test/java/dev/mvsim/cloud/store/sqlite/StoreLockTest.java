package dev.mvsim.cloud.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.link.ItemStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory's lock, taken in this process; StoreCrashTest checks it across processes. */
class StoreLockTest {

    private static final String ACCOUNT = "AC" + "1".repeat(32);

    @TempDir
    Path dataDirectory;

    @Test
    void secondOpenFailsWhileFirstIsOpen() {
        try (SqliteCloudStore first = SqliteCloudStore.open(dataDirectory, SqliteCloudStoreTest.TEST_KEY)) {
            assertThatThrownBy(() -> SqliteCloudStore.open(dataDirectory, SqliteCloudStoreTest.TEST_KEY))
                    .isInstanceOf(StoreLockedException.class)
                    .hasMessageContaining(dataDirectory.toString())
                    .hasMessageContaining("in use by");

            // The failed open left the first store's lock and connections working.
            ItemId id = ItemId.account(ACCOUNT, ItemStore.CONFIG, "still-writable");
            assertThat(first.insertItem(new StoredItem(id, "v", Instant.EPOCH))).isTrue();
        }
    }

    @Test
    void closeReleasesTheLock() {
        SqliteCloudStore.open(dataDirectory, SqliteCloudStoreTest.TEST_KEY).close();

        try (SqliteCloudStore reopened = SqliteCloudStore.open(dataDirectory, SqliteCloudStoreTest.TEST_KEY)) {
            assertThat(reopened.listAccounts()).isEmpty();
        }
    }

    @Test
    void lockedDirectoryNamedThroughSymlink(@TempDir Path links) throws Exception {
        Path alias = Files.createSymbolicLink(links.resolve("alias"), dataDirectory);

        try (SqliteCloudStore first = SqliteCloudStore.open(dataDirectory, SqliteCloudStoreTest.TEST_KEY)) {
            assertThatThrownBy(() -> SqliteCloudStore.open(alias, SqliteCloudStoreTest.TEST_KEY))
                    .isInstanceOf(StoreLockedException.class);
        }
    }

    @Test
    void failedOpenReleasesTheLock() throws Exception {
        Files.writeString(dataDirectory.resolve(SqliteCloudStore.DATABASE_FILE_NAME), "not a database, long enough to be read");

        assertThatThrownBy(() -> SqliteCloudStore.open(dataDirectory, SqliteCloudStoreTest.TEST_KEY))
                .isNotInstanceOf(StoreLockedException.class);
        Files.delete(dataDirectory.resolve(SqliteCloudStore.DATABASE_FILE_NAME));

        try (SqliteCloudStore reopened = SqliteCloudStore.open(dataDirectory, SqliteCloudStoreTest.TEST_KEY)) {
            assertThat(reopened.listAccounts()).isEmpty();
        }
    }

    @Test
    void lockFileOwnerOnlyAndHoldsPid() throws Exception {
        try (SqliteCloudStore store = SqliteCloudStore.open(dataDirectory, SqliteCloudStoreTest.TEST_KEY)) {
            Path lockFile = dataDirectory.resolve(StoreLock.FILE_NAME);

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lockFile))).isEqualTo("rw-------");
            assertThat(Files.readString(lockFile).strip()).isEqualTo(String.valueOf(ProcessHandle.current().pid()));
        }
    }

    @Test
    void holderIdNamesOnlyLiveProcess() {
        assertThat(StoreLock.livePid("4242\n", pid -> pid == 4242)).hasValue(4242);
        assertThat(StoreLock.livePid("4242\n", pid -> false)).isEmpty();
        assertThat(StoreLock.livePid("", pid -> true)).isEmpty();
        assertThat(StoreLock.livePid("42x", pid -> true)).isEmpty();
    }
}
