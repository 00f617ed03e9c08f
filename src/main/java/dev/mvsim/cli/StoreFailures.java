package dev.mvsim.cli;

import dev.mvsim.cloud.store.crypto.InvalidMasterKeyException;
import dev.mvsim.cloud.store.crypto.MasterKeySource;
import dev.mvsim.cloud.store.sqlite.StoreLockedException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns a failure to open the SQLite store, or to rotate its key, into the command's message and exit status. */
final class StoreFailures {

    private StoreFailures() {
    }

    /** Returns the {@link CliException} for a failed open of the store in {@code directory}. */
    static CliException describe(Path directory, RuntimeException failure) {
        return describe("open", directory, failure);
    }

    /** Returns the {@link CliException} for a failure to {@code action} (such as "open") the store in {@code directory}. */
    static CliException describe(String action, Path directory, RuntimeException failure) {
        String prefix = "Failed to " + action + " the store in " + directory.toAbsolutePath() + ": ";
        if (failure instanceof StoreLockedException) {
            return new CliException(ExitCode.STORE_IN_USE, prefix + failure.getMessage()
                    + ", or pass another --data-dir.", failure);
        }
        if (failure instanceof InvalidMasterKeyException) {
            // The message names the key's source (variable or file), never the key.
            String hint = Files.exists(directory.resolve(MasterKeySource.PENDING_KEY_FILE_NAME))
                    ? " A key rotation was interrupted: run 'mvsim store rotate-key' to finish it."
                    : "";
            return new CliException(ExitCode.MASTER_KEY, prefix + failure.getMessage() + "." + hint, failure);
        }
        if (failure instanceof UncheckedIOException) {
            return new CliException(ExitCode.SERVE_FAILED, prefix + failure.getMessage()
                    + ". Check the directory's permissions, or pass another --data-dir.", failure);
        }
        return new CliException(ExitCode.SERVE_FAILED, prefix + failure.getMessage()
                + ". Pass another --data-dir, or restore the directory from a backup.", failure);
    }
}
