package dev.mvsim.cloud.store.crypto;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;

/**
 * Creates {@link SecureRandom}s that read the kernel's {@code /dev/urandom} directly, the source
 * behind the JDK's default {@code NativePRNG} on Linux, but without the JCA provider list.
 *
 * <p>{@code new SecureRandom()} builds that list first: it loads the SUN provider and its
 * algorithm table ({@code sun.security.util.KnownOIDs}), about 0.2 s of serve's 1.9 s start-up
 * in a class-load log on a loaded 2-core machine (OpenJDK 17.0.15). The secure randoms created here skip it.
 * Where {@code /dev/urandom} cannot be read (a platform without it), {@link #create} returns
 * {@code new SecureRandom()} instead.
 */
public final class KernelRandom {

    private static final Path URANDOM = Path.of("/dev/urandom");

    private KernelRandom() {
    }

    /** Returns a secure random that reads /dev/urandom, or the JDK's default one without it. */
    public static SecureRandom create() {
        if (!Files.isReadable(URANDOM)) {
            return new SecureRandom();
        }
        try {
            return new UrandomSecureRandom(new FileInputStream(URANDOM.toFile()));
        } catch (IOException e) {
            return new SecureRandom();
        }
    }

    /**
     * A secure random over an open /dev/urandom. The protected constructor with a null provider
     * skips the provider list, and {@code SecureRandom} then synchronizes each call on itself.
     */
    private static final class UrandomSecureRandom extends SecureRandom {

        private static final long serialVersionUID = 1L;

        UrandomSecureRandom(InputStream urandom) {
            super(new UrandomSpi(urandom), null);
        }

        @Override
        public String getAlgorithm() {
            return "NativePRNG (/dev/urandom, read directly)";
        }
    }

    /**
     * Reads every byte from the kernel. A caller's seed is dropped, because the kernel seeds its
     * own pool (the JDK's NativePRNG would instead mix it into its output).
     */
    private static final class UrandomSpi extends SecureRandomSpi {

        private static final long serialVersionUID = 1L;

        private final transient InputStream urandom;

        UrandomSpi(InputStream urandom) {
            this.urandom = urandom;
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            // The seed is dropped, as this class comment says.
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            try {
                int filled = 0;
                while (filled < bytes.length) {
                    int read = urandom.read(bytes, filled, bytes.length - filled);
                    if (read < 0) {
                        throw new IOException("unexpected end of file");
                    }
                    filled += read;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("failed to read random bytes from " + URANDOM, e);
            }
        }

        @Override
        protected byte[] engineGenerateSeed(int length) {
            byte[] seed = new byte[length];
            engineNextBytes(seed);
            return seed;
        }
    }
}
