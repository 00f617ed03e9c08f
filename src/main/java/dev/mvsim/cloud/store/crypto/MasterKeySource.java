package dev.mvsim.cloud.store.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the master key of a data directory. In order of precedence:
 *
 * <ol>
 *   <li>the environment variable {@value #ENVIRONMENT_VARIABLE} (64 hex digits or base64 of 32
 *       bytes), when it is set and not blank;
 *   <li>the key file {@value #KEY_FILE_NAME} in the data directory, which is created with a fresh
 *       random key and mode 0600 when it does not exist.
 * </ol>
 *
 * <p>A key file that grants any permission to its group or to others is rejected: the key
 * decrypts every secret, so a loose mode is treated like a leaked key (OpenSSH does the same for
 * private keys).
 */
public final class MasterKeySource {

    public static final String ENVIRONMENT_VARIABLE = "MVSIM_MASTER_KEY";
    public static final String KEY_FILE_NAME = "master.key";

    /**
     * The next key during a rotation: written before the store is re-sealed and renamed over
     * {@value #KEY_FILE_NAME} after, so that a rotation stopped between the two finds it again.
     */
    public static final String PENDING_KEY_FILE_NAME = "master.key.new";

    private static final Logger log = LoggerFactory.getLogger(MasterKeySource.class);

    private static final Set<PosixFilePermission> OWNER_READ_WRITE =
            PosixFilePermissions.fromString("rw-------");

    private MasterKeySource() {}

    /** Resolves the key from the process environment or else the data directory's key file. */
    public static MasterKey resolve(Path dataDirectory, SecureRandom random) {
        return resolve(dataDirectory, System.getenv(), random);
    }

    /** Resolves the key from {@code environment} or else the data directory's key file. */
    public static MasterKey resolve(
            Path dataDirectory, Map<String, String> environment, SecureRandom random) {
        String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return MasterKey.parse(fromEnvironment, "environment variable " + ENVIRONMENT_VARIABLE);
        }
        return readOrCreateKeyFile(dataDirectory.resolve(KEY_FILE_NAME), random);
    }

    /**
     * Reads the key file, or creates it with a fresh key when it does not exist. The key is
     * written to a temporary file created with mode 0600 in the same system call (so no other
     * user can open it before a chmod), then hard-linked to the key file name, which fails when
     * the name exists. So a concurrent opener sees either no key file or a complete one.
     */
    public static MasterKey readOrCreateKeyFile(Path keyFile, SecureRandom random) {
        if (Files.exists(keyFile)) {
            return readKeyFile(keyFile);
        }

        MasterKey key = MasterKey.generate(random).withSource(describeKeyFile(keyFile));
        Path temporary = keyFile.resolveSibling(
                "." + KEY_FILE_NAME + "." + Long.toHexString(random.nextLong()) + ".tmp");
        try {
            writeOwnerOnly(temporary, (key.toHex() + "\n").getBytes(StandardCharsets.US_ASCII));
            Files.createLink(keyFile, temporary);
        } catch (FileAlreadyExistsException createdMeanwhile) {
            return readKeyFile(keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to create master key file " + keyFile, e);
        } finally {
            deleteQuietly(temporary);
        }

        log.info("Created master key file {}; back it up, because secrets cannot be decrypted"
                + " without it", keyFile);
        return key;
    }

    /**
     * Reads the existing key file of {@code dataDirectory}, applying the same mode check as
     * {@link #resolve}, but never creates one.
     */
    public static MasterKey readExistingKeyFile(Path dataDirectory) {
        Path keyFile = dataDirectory.resolve(KEY_FILE_NAME);
        if (!Files.exists(keyFile)) {
            throw new InvalidMasterKeyException("master key file " + keyFile.toAbsolutePath() + " does not exist"
                    + " and " + ENVIRONMENT_VARIABLE + " is unset, so there is no key to rotate from");
        }
        return readKeyFile(keyFile);
    }

    /** Reads the pending key of an interrupted rotation, or returns empty when there is none. */
    public static Optional<MasterKey> readPendingKeyFile(Path dataDirectory) {
        Path pending = dataDirectory.resolve(PENDING_KEY_FILE_NAME);
        return Files.exists(pending) ? Optional.of(readKeyFile(pending)) : Optional.empty();
    }

    /** Writes {@code key} as the pending key, mode 0600 from creation, and flushes it to disk. */
    public static void writePendingKeyFile(Path dataDirectory, MasterKey key) {
        Path pending = dataDirectory.resolve(PENDING_KEY_FILE_NAME);
        try {
            writeOwnerOnly(pending, (key.toHex() + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("failed to write pending master key file " + pending, e);
        }
    }

    /** Renames the pending key file over the key file in one step, ending a rotation. */
    public static void promotePendingKeyFile(Path dataDirectory) {
        Path pending = dataDirectory.resolve(PENDING_KEY_FILE_NAME);
        Path keyFile = dataDirectory.resolve(KEY_FILE_NAME);
        try {
            Files.move(pending, keyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to rename " + pending + " to " + keyFile
                    + "; the store is sealed under the key in " + pending + ", so rename it by hand", e);
        }
    }

    /** Deletes the pending key file, when a rotation failed before its commit. */
    public static void deletePendingKeyFile(Path dataDirectory) {
        deleteQuietly(dataDirectory.resolve(PENDING_KEY_FILE_NAME));
    }

    private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        Set<StandardOpenOption> options = Set.of(
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        try (SeekableByteChannel channel = isPosix(file.getParent())
                ? Files.newByteChannel(file, options,
                        PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE))
                : Files.newByteChannel(file, options)) {
            channel.write(ByteBuffer.wrap(content));
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Failed to delete temporary key file {}; delete it by hand", file, e);
        }
    }

    private static MasterKey readKeyFile(Path keyFile) {
        checkOwnerOnly(keyFile);
        try {
            String text = Files.readString(keyFile, StandardCharsets.US_ASCII);
            return MasterKey.parse(text, describeKeyFile(keyFile));
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read master key file " + keyFile, e);
        }
    }

    private static String describeKeyFile(Path keyFile) {
        return "master key file " + keyFile.toAbsolutePath();
    }

    private static void checkOwnerOnly(Path keyFile) {
        if (!isPosix(keyFile)) {
            // NOTE: on file systems without POSIX modes the key file's access is not checked.
            return;
        }

        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read the mode of master key file " + keyFile, e);
        }

        boolean othersHaveAccess = permissions.stream()
                .anyMatch(permission -> !permission.name().startsWith("OWNER_"));
        if (othersHaveAccess) {
            throw new InvalidMasterKeyException("master key file " + keyFile + " has mode "
                    + PosixFilePermissions.toString(permissions)
                    + " but must be readable by its owner only; run: chmod 600 " + keyFile);
        }
    }

    private static boolean isPosix(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }
}
