package dev.mvsim.bridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Puts a serial line into raw mode at a given speed with {@code stty}, before the bridge opens it. */
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
}
