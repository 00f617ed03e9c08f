package dev.mvsim.cloud.store.sqlite;

import dev.mvsim.cloud.store.DeviceRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL over the {@code device} table; bridge keys arrive and leave sealed. */
final class DeviceTable {

    /** A device key as stored, with the account it is bound to through the associated data. */
    record SealedKey(String accountSid, byte[] sealed) {}

    private static final String COLUMNS = "sid, account_sid, unique_name, date_created, date_updated";

    /** OR IGNORE turns both a duplicate SID and a taken unique name into "no row inserted". */
    private static final String INSERT = "INSERT OR IGNORE INTO device (" + COLUMNS
            + ", device_key_sealed) VALUES (?, ?, ?, ?, ?, ?)";

    private static final String UPDATE = "UPDATE OR IGNORE device SET unique_name = ?,"
            + " date_updated = ? WHERE sid = ? AND account_sid = ?";

    private static final String FIND = "SELECT " + COLUMNS + " FROM device WHERE sid = ?";

    private static final String FIND_BY_NAME =
            "SELECT " + COLUMNS + " FROM device WHERE account_sid = ? AND unique_name = ?";

    private static final String LIST_FIRST = "SELECT " + COLUMNS
            + " FROM device WHERE account_sid = ? ORDER BY sid LIMIT ?";

    private static final String LIST_AFTER = "SELECT " + COLUMNS
            + " FROM device WHERE account_sid = ? AND sid > ? ORDER BY sid LIMIT ?";

    private static final String LIST_UP_TO = "SELECT " + COLUMNS
            + " FROM device WHERE account_sid = ? AND sid <= ? ORDER BY sid DESC LIMIT ?";

    private static final String FIND_KEY =
            "SELECT account_sid, device_key_sealed FROM device WHERE sid = ?";

    private DeviceTable() {}

    static boolean insert(StatementCache connection, DeviceRecord device, byte[] deviceKeySealed)
            throws SQLException {
        PreparedStatement statement = connection.prepare(INSERT);
        statement.setString(1, device.sid());
        statement.setString(2, device.accountSid());
        statement.setString(3, device.uniqueName());
        statement.setLong(4, Timestamps.toColumn(device.dateCreated()));
        statement.setLong(5, Timestamps.toColumn(device.dateUpdated()));
        statement.setBytes(6, deviceKeySealed);
        return statement.executeUpdate() == 1;
    }

    /** Renames a device; a name taken by another device of the account leaves it unchanged. */
    static boolean update(StatementCache connection, DeviceRecord device) throws SQLException {
        PreparedStatement statement = connection.prepare(UPDATE);
        statement.setString(1, device.uniqueName());
        statement.setLong(2, Timestamps.toColumn(device.dateUpdated()));
        statement.setString(3, device.sid());
        statement.setString(4, device.accountSid());
        return statement.executeUpdate() == 1;
    }

    static Optional<DeviceRecord> find(StatementCache connection, String sid) throws SQLException {
        PreparedStatement statement = connection.prepare(FIND);
        statement.setString(1, sid);
        return readOne(statement);
    }

    static Optional<DeviceRecord> findByUniqueName(
            StatementCache connection, String accountSid, String uniqueName) throws SQLException {
        PreparedStatement statement = connection.prepare(FIND_BY_NAME);
        statement.setString(1, accountSid);
        statement.setString(2, uniqueName);
        return readOne(statement);
    }

    static List<DeviceRecord> list(
            StatementCache connection, String accountSid, String afterSid, int limit)
            throws SQLException {
        PreparedStatement statement = connection.prepare(afterSid == null ? LIST_FIRST : LIST_AFTER);
        int next = 1;
        statement.setString(next++, accountSid);
        if (afterSid != null) {
            statement.setString(next++, afterSid);
        }
        statement.setInt(next, limit);

        List<DeviceRecord> devices = new ArrayList<>(Math.min(limit, 1000));
        try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                devices.add(readDevice(result));
            }
        }
        return devices;
    }

    /** Lists devices with SIDs at or before {@code upToSid}, in descending SID order. */
    static List<DeviceRecord> listUpTo(
            StatementCache connection, String accountSid, String upToSid, int limit)
            throws SQLException {
        PreparedStatement statement = connection.prepare(LIST_UP_TO);
        statement.setString(1, accountSid);
        statement.setString(2, upToSid);
        statement.setInt(3, limit);

        List<DeviceRecord> devices = new ArrayList<>(Math.min(limit, 1000));
        try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                devices.add(readDevice(result));
            }
        }
        return devices;
    }

    static Optional<SealedKey> findKey(StatementCache connection, String sid) throws SQLException {
        PreparedStatement statement = connection.prepare(FIND_KEY);
        statement.setString(1, sid);
        try (ResultSet result = statement.executeQuery()) {
            return result.next()
                    ? Optional.of(new SealedKey(result.getString(1), result.getBytes(2)))
                    : Optional.empty();
        }
    }

    private static Optional<DeviceRecord> readOne(PreparedStatement statement) throws SQLException {
        try (ResultSet result = statement.executeQuery()) {
            return result.next() ? Optional.of(readDevice(result)) : Optional.empty();
        }
    }

    private static DeviceRecord readDevice(ResultSet result) throws SQLException {
        return new DeviceRecord(
                result.getString(1),
                result.getString(2),
                result.getString(3),
                Timestamps.fromColumn(result.getLong(4)),
                Timestamps.fromColumn(result.getLong(5)));
    }
}
