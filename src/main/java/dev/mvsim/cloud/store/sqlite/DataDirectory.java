package dev.mvsim.cloud.store.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Creates the data directory and the empty database file with owner-only modes (0700 and 0600)
 * when the file system has POSIX modes. SQLite gives the -wal and -shm files the mode of the
 * database file, so they are owner-only too.
 */
final class DataDirectory {

    private DataDirectory() {}

    static void create(Path directory) {
        try {
            if (Files.isDirectory(directory)) {
                return;
            }
            if (isPosix()) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("failed to create data directory " + directory, e);
        }
    }

    /** Creates an empty database file, which SQLite accepts as an empty database, unless one exists. */
    static void createDatabaseFile(Path databaseFile) {
        try {
            if (isPosix()) {
                Files.createFile(databaseFile, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(databaseFile);
            }
        } catch (FileAlreadyExistsException exists) {
            // An existing store keeps the mode its owner gave it.
        } catch (IOException e) {
            throw new UncheckedIOException("failed to create database file " + databaseFile, e);
        }
    }

    private static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
