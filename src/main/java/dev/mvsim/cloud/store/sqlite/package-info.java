/**
 * The durable {@link dev.mvsim.cloud.store.CloudStore}: an embedded SQLite database in WAL mode.
 *
 * <p>Callers need {@link dev.mvsim.cloud.store.sqlite.SqliteCloudStore} to open a store, and
 * {@link dev.mvsim.cloud.store.sqlite.SqliteStoreOptions} with
 * {@link dev.mvsim.cloud.store.sqlite.Synchronous} to tune it. Failures surface as
 * {@link dev.mvsim.cloud.store.sqlite.StoreAccessException} (database unreadable or closed) and
 * {@link dev.mvsim.cloud.store.sqlite.SchemaVersionException} (file from a newer mvsim or from
 * another program). The other classes are package-private.
 */
package dev.mvsim.cloud.store.sqlite;
