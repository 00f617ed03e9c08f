package dev.mvsim.bridge;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
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

    /** Opens the line at {@code device} as it is configured. */
    static PacketLink open(Path device) throws IOException {
        // One channel per direction: a FileChannel holds a lock across a blocked read that its writes also need.
        FileChannel input = FileChannel.open(device, StandardOpenOption.READ);
        FileChannel output;
        try {
            output = FileChannel.open(device, StandardOpenOption.WRITE);
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
     * Configures the line at {@code device} with {@link #configureRaw} and opens it. A line that
     * comes back after a failure, such as a USB adapter plugged in again, starts with the driver's
     * default settings, so each opening configures it again.
     */
    static PacketLink configureAndOpen(Path device, int baud) throws IOException {
        configureRaw(device, baud);
        return open(device);
    }
}
