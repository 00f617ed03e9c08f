package dev.mvsim.cloud.store.sqlite;

import dev.mvsim.cloud.store.crypto.MasterKeyMismatchException;
import dev.mvsim.cloud.store.crypto.MasterKeySource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Records a value sealed under the master key when a store is created, and checks it on every
 * later open, so that a wrong key fails at open instead of at the first secret read.
 */
final class KeyCheck {

    static final String NAME = "master_key_check";

    private KeyCheck() {}

    static void verifyOrRecord(StatementCache connection, RecordSealer sealer, String databaseName,
            String keySource) throws SQLException {
        PreparedStatement find =
                connection.prepare("SELECT value FROM store_metadata WHERE name = ?");
        find.setString(1, NAME);
        byte[] recorded;
        try (ResultSet result = find.executeQuery()) {
            recorded = result.next() ? result.getBytes(1) : null;
        }

        if (recorded == null) {
            PreparedStatement insert =
                    connection.prepare("INSERT INTO store_metadata (name, value) VALUES (?, ?)");
            insert.setString(1, NAME);
            insert.setBytes(2, sealer.sealKeyCheck());
            insert.executeUpdate();
            connection.connection().commit();
            return;
        }

        // The read above opened a transaction; end it before the writer thread takes over.
        connection.connection().rollback();
        if (!sealer.matchesKeyCheck(recorded)) {
            throw new MasterKeyMismatchException("the master key from " + keySource
                    + " does not match the key that created the store " + databaseName + "; set "
                    + MasterKeySource.ENVIRONMENT_VARIABLE + " or the " + MasterKeySource.KEY_FILE_NAME
                    + " file to the original key, or restore the key from its backup");
        }
    }
}
