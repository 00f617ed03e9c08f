package dev.mvsim.cloud.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * One SQLite connection with its prepared statements, each prepared once and reused. Confined
 * to one thread at a time: the writer thread, or the reader that borrowed it from the pool.
 */
final class StatementCache implements AutoCloseable {

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    StatementCache(Connection connection) {
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    /** Returns the prepared statement for {@code sql}, with its parameters cleared. */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        } else {
            statement.clearParameters();
        }
        return statement;
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement statement : statements.values()) {
            statement.close();
        }
        statements.clear();
        connection.close();
    }
}
