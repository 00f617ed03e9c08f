package dev.mvsim.cloud.store.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

/**
 * An exclusive lock on a data directory, held from open to close by one store. SQLite alone
 * would let a second writer wait for the busy timeout and then fail with "database is locked",
 * so the store takes this lock first and fails at once with a message that names the directory.
 * The operating system releases the lock when the holding process dies, even by {@code kill -9},
 * so a stale lock file never blocks a later start.
 */
final class StoreLock implements AutoCloseable {

    /** Name of the lock file inside the data directory; it contains the holder's process id. */
    static final String FILE_NAME = "mvsim.lock";

    /** Longest time a failed opener waits for the holder's process id to appear in the lock file. */
    static final long HOLDER_WAIT_MILLIS = 250;

    /**
     * Lock files held by stores of this process. On Linux, closing any channel of a file drops
     * every lock this process holds on it, so a second opener in the same process must fail
     * before it opens the file at all.
     */
    private static final Set<Path> HELD_IN_THIS_PROCESS = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code dataDirectory}, or throws {@link StoreLockedException} at once when it is held. */
    static StoreLock acquire(Path dataDirectory) {
        Path file = realDirectory(dataDirectory).resolve(FILE_NAME);
        if (!HELD_IN_THIS_PROCESS.add(file)) {
            throw locked(dataDirectory, "another store open in this process");
        }

        FileChannel channel;
        FileLock lock;
        try {
            channel = openLockFile(file);
        } catch (RuntimeException e) {
            HELD_IN_THIS_PROCESS.remove(file);
            throw e;
        }
        try {
            lock = channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(channel);
            HELD_IN_THIS_PROCESS.remove(file);
            throw new UncheckedIOException("failed to lock " + file, e instanceof IOException io ? io : new IOException(e));
        }
        if (lock == null) {
            String holder = readHolder(channel);
            closeQuietly(channel);
            HELD_IN_THIS_PROCESS.remove(file);
            throw locked(dataDirectory, holder);
        }

        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        } catch (IOException e) {
            // The process id only improves the message another opener prints; the lock holds without it.
        }
        return new StoreLock(file, channel, lock);
    }

    private static StoreLockedException locked(Path dataDirectory, String holder) {
        return new StoreLockedException(dataDirectory, "the store in " + dataDirectory.toAbsolutePath()
                + " is in use by " + holder + ", such as another mvsim serve or mvsim store rotate-key;"
                + " stop it first");
    }

    private static Path realDirectory(Path dataDirectory) {
        try {
            return dataDirectory.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("failed to resolve data directory " + dataDirectory, e);
        }
    }

    /** Releases the lock. The file stays, so that no other process can lock a file about to be deleted. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel below releases the lock as well.
        }
        closeQuietly(channel);
        HELD_IN_THIS_PROCESS.remove(file);
    }

    private static FileChannel openLockFile(Path file) {
        Set<StandardOpenOption> options = Set.of(
                StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                return FileChannel.open(file, options,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            return FileChannel.open(file, options);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to open lock file " + file, e);
        }
    }

    /**
     * Returns "process ID" of the holder, or "another process" when the lock file names no live
     * process. The holder writes its id just after it takes the lock, so a start that lost a race
     * for a new directory can read an empty file or the id of a process that has since died; it
     * reads again for up to {@link #HOLDER_WAIT_MILLIS} before it gives up.
     */
    private static String readHolder(FileChannel channel) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOLDER_WAIT_MILLIS);
        while (true) {
            OptionalLong holder = livePid(readLockFile(channel), pid -> ProcessHandle.of(pid).isPresent());
            if (holder.isPresent()) {
                return "process " + holder.getAsLong();
            }
            if (System.nanoTime() >= deadline) {
                return "another process";
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "another process";
            }
        }
    }

    /** Returns the process id in the lock file's text when it names a process that is alive. */
    static OptionalLong livePid(String text, LongPredicate isAlive) {
        String trimmed = text.strip();
        if (!trimmed.matches("[0-9]{1,18}")) {
            return OptionalLong.empty();
        }
        long pid = Long.parseLong(trimmed);
        return isAlive.test(pid) ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    private static String readLockFile(FileChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        try {
            channel.read(buffer, 0);
        } catch (IOException e) {
            return "";
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing was written through this channel that a failed close could lose.
        }
    }
}
