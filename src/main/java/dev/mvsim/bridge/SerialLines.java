package dev.mvsim.bridge;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Configures serial lines with {@code stty} and opens them as packet links for the bridge. */
public final class SerialLines {

    private static final long STTY_TIMEOUT_SECONDS = 10;

    private SerialLines() {
    }

    /**
     * Runs {@code stty -F DEVICE raw -echo BAUD}: 8 data bits, no parity, no translation of bytes,
     * no echo. Pseudo-terminals accept the speed and ignore it.
     *
     * @throws IOException if stty is missing, times out, or rejects the device or the speed
     */
    public static void configureRaw(Path device, int baud) throws IOException {
        List<String> command = List.of("stty", "-F", device.toString(), "raw", "-echo", "cs8", "-parenb", "-cstopb",
                Integer.toString(baud));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(STTY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("stty timed out after " + STTY_TIMEOUT_SECONDS + " s configuring " + device);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while configuring " + device, interrupted);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0) {
            throw new IOException("stty could not configure " + device + " at " + baud + " baud: " + output);
        }
    }

    /**
     * Opens the line at {@code device} as it is configured, and locks it for this process.
     *
     * @throws IOException if the line cannot be opened, or another process holds its lock
     */
    static PacketLink open(Path device) throws IOException {
        // One channel per direction: a FileChannel holds a lock across a blocked read that its writes also need.
        FileChannel input = FileChannel.open(device, StandardOpenOption.READ);
        FileChannel output;
        try {
            output = FileChannel.open(device, StandardOpenOption.WRITE);
            lockForThisServer(device, output);
        } catch (IOException | RuntimeException failure) {
            input.close();
            throw failure;
        }
        return new PacketLink(Channels.newInputStream(input), Channels.newOutputStream(output), () -> {
            input.close();
            output.close();
        }, new DamagedPacketLog("serial:" + device));
    }

    /**
     * Takes an exclusive advisory lock (fcntl) on the line, which closing {@code output} releases.
     * Two servers on one line would each read part of the device's bytes and break every
     * handshake, so the second one fails here instead. The lock binds only processes that take it
     * too, such as another serve; a terminal program that opens the line is not stopped.
     */
    private static void lockForThisServer(Path device, FileChannel output) throws IOException {
        FileLock lock;
        try {
            lock = output.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            output.close();
            throw new IOException("the serial line " + device + " is in use by another mvsim serve; stop that serve, "
                    + "or give this one another line");
        }
    }

    /**
     * Configures the line at {@code device} with {@link #configureRaw} and opens it. A line that
     * comes back after a failure, such as a USB adapter plugged in again, starts with the driver's
     * default settings, so each opening configures it again.
     */
    static PacketLink configureAndOpen(Path device, int baud) throws IOException {
        configureRaw(device, baud);
        return open(device);
    }
}
