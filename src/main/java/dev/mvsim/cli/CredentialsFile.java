package dev.mvsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The file {@code credentials.json} in the data directory: the account that {@code serve} created
 * on first start, read back by the client commands. It is created with mode 0600 so that only
 * its owner can read the auth token.
 */
final class CredentialsFile {

    static final String FILE_NAME = "credentials.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;

    CredentialsFile(Path dataDirectory) {
        this.path = dataDirectory.toAbsolutePath().resolve(FILE_NAME);
    }

    Path path() {
        return path;
    }

    /** Reads the credentials, or returns empty when the file does not exist. */
    Optional<Credentials> read() {
        if (!Files.exists(path)) {
            return Optional.empty();
        }

        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "Failed to read the credentials file " + path
                    + ": " + e.getMessage() + ". Fix or delete it; 'mvsim serve' then writes a new one.", e);
        }

        String sid = root.path("account_sid").asText("");
        String token = root.path("auth_token").asText("");
        if (sid.isEmpty() || token.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "The credentials file " + path
                    + " lacks account_sid or auth_token. Delete it; 'mvsim serve' then writes a new one.");
        }
        return Optional.of(new Credentials(sid, token, "the file " + path));
    }

    /**
     * Writes the credentials with mode 0600, failing if the file exists. The content goes to a
     * temporary file first and is moved into place, so a reader never sees half a file.
     */
    void create(String accountSid, String authToken) throws IOException {
        Files.createDirectories(path.getParent());
        if (Files.exists(path)) {
            throw new FileAlreadyExistsException(path.toString());
        }

        ObjectNode root = JSON.createObjectNode();
        root.put("account_sid", accountSid);
        root.put("auth_token", authToken);
        byte[] content = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);

        Path temporary = path.resolveSibling(FILE_NAME + ".tmp");
        Files.deleteIfExists(temporary);
        var ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
        try (FileChannel channel = FileChannel.open(temporary,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly)) {
            OutputStream out = Channels.newOutputStream(channel);
            out.write(content);
            out.write('\n');
            channel.force(true);
        }
        Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
    }
}
