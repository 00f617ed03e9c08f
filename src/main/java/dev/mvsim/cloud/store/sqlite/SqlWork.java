package dev.mvsim.cloud.store.sqlite;

import java.sql.SQLException;

/** A unit of database work run on a borrowed connection. */
@FunctionalInterface
interface SqlWork<T> {

    T run(StatementCache connection) throws SQLException;
}
