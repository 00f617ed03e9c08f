package dev.mvsim.cloud.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqliteStoreOptionsTest {

    @Test
    void synchronousParsedIgnoringCase() {
        assertThat(Synchronous.parse("full")).isEqualTo(Synchronous.FULL);
        assertThat(Synchronous.parse(" Normal ")).isEqualTo(Synchronous.NORMAL);
    }

    @Test
    void unknownSynchronousRejected() {
        assertThatThrownBy(() -> Synchronous.parse("off"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'off'")
                .hasMessageContaining("normal, full");
    }

    @Test
    void defaultsSurviveKillNotPowerLoss() {
        SqliteStoreOptions defaults = SqliteStoreOptions.defaults();

        assertThat(defaults.synchronous()).isEqualTo(Synchronous.NORMAL);
        assertThat(defaults.readConnections()).isEqualTo(4);
        assertThat(defaults.maxBatchSize()).isEqualTo(256);
    }

    @Test
    void withersChangeOneField() {
        SqliteStoreOptions options = SqliteStoreOptions.defaults()
                .withSynchronous(Synchronous.FULL)
                .withReadConnections(2)
                .withMaxBatchSize(8);

        assertThat(options).isEqualTo(new SqliteStoreOptions(Synchronous.FULL, 2, 8));
    }

    @Test
    void nonPositiveSizesRejected() {
        assertThatThrownBy(() -> SqliteStoreOptions.defaults().withReadConnections(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("readConnections must be at least 1, got 0");
        assertThatThrownBy(() -> SqliteStoreOptions.defaults().withMaxBatchSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBatchSize must be at least 1, got 0");
    }
}
