package dev.mvsim.cloud.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL over the {@code account} table; auth tokens arrive and leave sealed. */
final class AccountTable {

    record Row(String sid, byte[] authTokenSealed) {}

    private static final String INSERT =
            "INSERT OR IGNORE INTO account (sid, auth_token_sealed) VALUES (?, ?)";

    private static final String FIND = "SELECT sid, auth_token_sealed FROM account WHERE sid = ?";

    private static final String LIST = "SELECT sid, auth_token_sealed FROM account ORDER BY sid";

    private AccountTable() {}

    static boolean insert(StatementCache connection, String sid, byte[] authTokenSealed)
            throws SQLException {
        PreparedStatement statement = connection.prepare(INSERT);
        statement.setString(1, sid);
        statement.setBytes(2, authTokenSealed);
        return statement.executeUpdate() == 1;
    }

    static Optional<Row> find(StatementCache connection, String sid) throws SQLException {
        PreparedStatement statement = connection.prepare(FIND);
        statement.setString(1, sid);
        try (ResultSet result = statement.executeQuery()) {
            return result.next() ? Optional.of(readRow(result)) : Optional.empty();
        }
    }

    static List<Row> list(StatementCache connection) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (ResultSet result = connection.prepare(LIST).executeQuery()) {
            while (result.next()) {
                rows.add(readRow(result));
            }
        }
        return rows;
    }

    private static Row readRow(ResultSet result) throws SQLException {
        return new Row(result.getString(1), result.getBytes(2));
    }
}
