package dev.mvsim.cloud.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database schema and its migrations. {@code PRAGMA user_version} stores the schema version
 * and {@code PRAGMA application_id} marks the file as an mvsim store. Migration {@code i} in
 * {@link #MIGRATIONS} upgrades version {@code i} to {@code i + 1}; each runs in its own
 * transaction together with the version bump, so an interrupted upgrade leaves the old version.
 */
final class Schema {

    /** "mvsm" in ASCII, stored in the database header to recognise mvsim stores. */
    static final int APPLICATION_ID = 0x6D76736D;

    private static final Logger log = LoggerFactory.getLogger(Schema.class);

    @FunctionalInterface
    private interface Migration {
        void apply(Statement statement) throws SQLException;
    }

    private static final List<Migration> MIGRATIONS = List.of(Schema::createVersion1);

    /** The schema version this code reads and writes. */
    static final int CURRENT_VERSION = MIGRATIONS.size();

    private Schema() {}

    /**
     * Brings the database to {@link #CURRENT_VERSION}, creating it when empty.
     *
     * @throws SchemaVersionException when the file is not an mvsim store or is newer than this code
     */
    static void migrate(Connection connection, String databaseName) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            int version = queryInt(statement, "PRAGMA user_version");
            int applicationId = queryInt(statement, "PRAGMA application_id");
            boolean empty = queryInt(statement, "SELECT count(*) FROM sqlite_schema") == 0;

            if (!empty && applicationId != APPLICATION_ID) {
                throw new SchemaVersionException(databaseName + " is not an mvsim store (its"
                        + " application_id is " + applicationId + ", expected " + APPLICATION_ID
                        + "); point the data directory at an mvsim store or an empty directory");
            }
            if (version > CURRENT_VERSION) {
                throw new SchemaVersionException(databaseName + " has schema version " + version
                        + " but this mvsim supports versions up to " + CURRENT_VERSION
                        + "; run a newer mvsim or restore a backup made by this version");
            }

            for (int from = version; from < CURRENT_VERSION; from++) {
                MIGRATIONS.get(from).apply(statement);
                statement.execute("PRAGMA application_id = " + APPLICATION_ID);
                statement.execute("PRAGMA user_version = " + (from + 1));
                connection.commit();
                log.info("Upgraded {} from schema version {} to {}", databaseName, from, from + 1);
            }
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    private static int queryInt(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getInt(1);
        }
    }

    private static void createVersion1(Statement statement) throws SQLException {
        // The auth token is sealed because it is a credential; the process decrypts it to check
        // HTTP Basic credentials.
        statement.execute("""
                CREATE TABLE account (
                    sid               TEXT NOT NULL PRIMARY KEY,
                    auth_token_sealed BLOB NOT NULL
                ) WITHOUT ROWID""");

        // SQLite treats NULLs as distinct in a unique index, so many devices may lack a name.
        statement.execute("""
                CREATE TABLE device (
                    sid               TEXT NOT NULL PRIMARY KEY,
                    account_sid       TEXT NOT NULL,
                    unique_name       TEXT,
                    date_created      INTEGER NOT NULL,
                    date_updated      INTEGER NOT NULL,
                    device_key_sealed BLOB NOT NULL
                )""");
        statement.execute("CREATE UNIQUE INDEX device_by_name ON device (account_sid, unique_name)");
        statement.execute("CREATE INDEX device_by_account ON device (account_sid, sid)");

        // device_sid is '' for account scope, because NULLs would defeat the unique index.
        // Exactly one of config_value and secret_sealed is set, depending on the store.
        statement.execute("""
                CREATE TABLE item (
                    account_sid   TEXT NOT NULL,
                    scope         TEXT NOT NULL CHECK (scope IN ('ACCOUNT', 'DEVICE')),
                    device_sid    TEXT NOT NULL,
                    store         TEXT NOT NULL CHECK (store IN ('CONFIG', 'SECRET')),
                    key           TEXT NOT NULL,
                    config_value  TEXT,
                    secret_sealed BLOB,
                    date_updated  INTEGER NOT NULL,
                    CHECK ((store = 'CONFIG') = (config_value IS NOT NULL)),
                    CHECK ((store = 'SECRET') = (secret_sealed IS NOT NULL))
                )""");
        statement.execute("""
                CREATE UNIQUE INDEX item_by_identity
                    ON item (account_sid, scope, device_sid, store, key)""");

        // Holds a value sealed under the master key, so opening with another key fails at once.
        statement.execute("""
                CREATE TABLE store_metadata (
                    name  TEXT NOT NULL PRIMARY KEY,
                    value BLOB NOT NULL
                ) WITHOUT ROWID""");
    }
}
