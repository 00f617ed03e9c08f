package dev.mvsim.cloud.store.sqlite;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * SQLite's {@code PRAGMA synchronous} level for the store, which decides what a returned write
 * survives. Both levels survive {@code kill -9} of the process, because a commit in WAL mode
 * has reached the operating system before it returns.
 */
public enum Synchronous {

    /**
     * The WAL is fsynced only at checkpoints. A committed write survives a process crash but may
     * be lost (never half-applied) on power loss or an operating-system crash.
     */
    NORMAL,

    /** The WAL is fsynced at every commit, so a committed write also survives power loss. */
    FULL;

    /** Parses a level by name, ignoring case, for command-line options. */
    public static Synchronous parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException("invalid synchronous level '" + text
                    + "': expected one of " + Arrays.stream(values())
                            .map(level -> level.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", ")));
        }
    }
}
