package dev.mvsim.cloud.store.sqlite;

import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SQL over the {@code item} table. Secret values arrive and leave sealed, so this class never
 * handles them in plaintext.
 */
final class ItemTable {

    /** One row: exactly one of {@code configValue} and {@code secretSealed} is set, unless metadata only. */
    record Row(String key, String configValue, byte[] secretSealed, long dateUpdated) {}

    private static final String SCOPE_WHERE =
            "account_sid = ? AND scope = ? AND device_sid = ? AND store = ?";

    private static final String IDENTITY_WHERE = SCOPE_WHERE + " AND key = ?";

    private static final String INSERT = """
            INSERT OR IGNORE INTO item
                (account_sid, scope, device_sid, store, key, config_value, secret_sealed, date_updated)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";

    private static final String UPDATE =
            "UPDATE item SET config_value = ?, secret_sealed = ?, date_updated = ? WHERE "
                    + IDENTITY_WHERE;

    private static final String DELETE = "DELETE FROM item WHERE " + IDENTITY_WHERE;

    private static final String FIND =
            "SELECT key, config_value, secret_sealed, date_updated FROM item WHERE " + IDENTITY_WHERE;

    private static final String FIND_METADATA =
            "SELECT key, date_updated FROM item WHERE " + IDENTITY_WHERE;

    private static final String LIST_FIRST =
            "SELECT key, config_value, secret_sealed, date_updated FROM item WHERE " + SCOPE_WHERE
                    + " ORDER BY key LIMIT ?";

    private static final String LIST_AFTER =
            "SELECT key, config_value, secret_sealed, date_updated FROM item WHERE " + SCOPE_WHERE
                    + " AND key > ? ORDER BY key LIMIT ?";

    private static final String LIST_METADATA_FIRST =
            "SELECT key, date_updated FROM item WHERE " + SCOPE_WHERE + " ORDER BY key LIMIT ?";

    private static final String LIST_METADATA_AFTER =
            "SELECT key, date_updated FROM item WHERE " + SCOPE_WHERE
                    + " AND key > ? ORDER BY key LIMIT ?";

    private static final String LIST_UP_TO =
            "SELECT key, config_value, secret_sealed, date_updated FROM item WHERE " + SCOPE_WHERE
                    + " AND key <= ? ORDER BY key DESC LIMIT ?";

    private static final String LIST_METADATA_UP_TO =
            "SELECT key, date_updated FROM item WHERE " + SCOPE_WHERE
                    + " AND key <= ? ORDER BY key DESC LIMIT ?";

    private static final String COUNT = "SELECT count(*) FROM item WHERE " + SCOPE_WHERE;

    private ItemTable() {}

    static boolean insert(StatementCache connection, ItemId id, String configValue,
            byte[] secretSealed, long dateUpdated) throws SQLException {
        PreparedStatement statement = connection.prepare(INSERT);
        int next = bindIdentity(statement, 1, id);
        statement.setString(next++, configValue);
        statement.setBytes(next++, secretSealed);
        statement.setLong(next, dateUpdated);
        return statement.executeUpdate() == 1;
    }

    static boolean update(StatementCache connection, ItemId id, String configValue,
            byte[] secretSealed, long dateUpdated) throws SQLException {
        PreparedStatement statement = connection.prepare(UPDATE);
        statement.setString(1, configValue);
        statement.setBytes(2, secretSealed);
        statement.setLong(3, dateUpdated);
        bindIdentity(statement, 4, id);
        return statement.executeUpdate() == 1;
    }

    static boolean delete(StatementCache connection, ItemId id) throws SQLException {
        PreparedStatement statement = connection.prepare(DELETE);
        bindIdentity(statement, 1, id);
        return statement.executeUpdate() == 1;
    }

    static Optional<Row> find(StatementCache connection, ItemId id, boolean withValue)
            throws SQLException {
        PreparedStatement statement = connection.prepare(withValue ? FIND : FIND_METADATA);
        bindIdentity(statement, 1, id);
        try (ResultSet result = statement.executeQuery()) {
            return result.next() ? Optional.of(readRow(result, withValue)) : Optional.empty();
        }
    }

    static List<Row> list(StatementCache connection, String accountSid, ItemScope scope,
            String deviceSid, ItemStore store, String afterKey, int limit, boolean withValues)
            throws SQLException {
        String sql = withValues
                ? (afterKey == null ? LIST_FIRST : LIST_AFTER)
                : (afterKey == null ? LIST_METADATA_FIRST : LIST_METADATA_AFTER);
        PreparedStatement statement = connection.prepare(sql);
        int next = bindScope(statement, 1, accountSid, scope, deviceSid, store);
        if (afterKey != null) {
            statement.setString(next++, afterKey);
        }
        statement.setInt(next, limit);

        List<Row> rows = new ArrayList<>(Math.min(limit, 1000));
        try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                rows.add(readRow(result, withValues));
            }
        }
        return rows;
    }

    /** Lists rows with keys at or before {@code upToKey}, in descending key order. */
    static List<Row> listUpTo(StatementCache connection, String accountSid, ItemScope scope,
            String deviceSid, ItemStore store, String upToKey, int limit, boolean withValues)
            throws SQLException {
        PreparedStatement statement = connection.prepare(withValues ? LIST_UP_TO : LIST_METADATA_UP_TO);
        int next = bindScope(statement, 1, accountSid, scope, deviceSid, store);
        statement.setString(next++, upToKey);
        statement.setInt(next, limit);

        List<Row> rows = new ArrayList<>(Math.min(limit, 1000));
        try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                rows.add(readRow(result, withValues));
            }
        }
        return rows;
    }

    static long count(StatementCache connection, String accountSid, ItemScope scope,
            String deviceSid, ItemStore store) throws SQLException {
        PreparedStatement statement = connection.prepare(COUNT);
        bindScope(statement, 1, accountSid, scope, deviceSid, store);
        try (ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    private static Row readRow(ResultSet result, boolean withValue) throws SQLException {
        if (!withValue) {
            return new Row(result.getString(1), null, null, result.getLong(2));
        }
        return new Row(result.getString(1), result.getString(2), result.getBytes(3),
                result.getLong(4));
    }

    private static int bindIdentity(PreparedStatement statement, int first, ItemId id)
            throws SQLException {
        int next = bindScope(statement, first, id.accountSid(), id.scope(), id.deviceSid(), id.store());
        statement.setString(next, id.key());
        return next + 1;
    }

    /** Binds the four scope columns from {@code first} on and returns the next parameter index. */
    private static int bindScope(PreparedStatement statement, int first, String accountSid,
            ItemScope scope, String deviceSid, ItemStore store) throws SQLException {
        statement.setString(first, accountSid);
        statement.setString(first + 1, scope.name());
        statement.setString(first + 2, deviceSid == null ? "" : deviceSid);
        statement.setString(first + 3, store.name());
        return first + 4;
    }
}
