package dev.mvsim.cloud.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** Opens connections to one database file with the store's pragmas. */
final class ConnectionFactory {

    /** How long a connection waits for a lock held by another connection, in milliseconds. */
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final String url;
    private final Synchronous synchronous;

    ConnectionFactory(Path databaseFile, Synchronous synchronous) {
        this.url = "jdbc:sqlite:" + databaseFile.toAbsolutePath();
        this.synchronous = synchronous;
    }

    /** Opens the single connection that writes, in autocommit off with immediate transactions. */
    Connection openWriter() throws SQLException {
        SQLiteConfig config = baseConfig();
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection connection = config.createConnection(url);
        connection.setAutoCommit(false);
        return connection;
    }

    /** Opens a connection that only reads; each statement runs in its own read transaction. */
    Connection openReader() throws SQLException {
        Connection connection = baseConfig().createConnection(url);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA query_only = 1");
        }
        return connection;
    }

    private SQLiteConfig baseConfig() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(synchronous == Synchronous.FULL
                ? SQLiteConfig.SynchronousMode.FULL
                : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        // Sorts and temporary indexes stay in memory, so no temporary file is written.
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        return config;
    }
}
