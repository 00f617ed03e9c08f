package dev.mvsim.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The file {@code credentials.json} in the data directory: the account that {@code serve} created
 * on first start, read back by the client commands. It is created with mode 0600 so that only
 * its owner can read the auth token.
 */
final class CredentialsFile {

    /**
     * Advice for a broken file. Deleting it is not harmless: serve then creates a new account,
     * and the new credentials cannot reach the old account's configs, secrets and devices.
     */
    private static final String REPAIR_HINT = "Fix it, for example from a backup, if you can. If you delete it,"
            + " 'mvsim serve' creates a new account with new credentials, and these cannot reach the configs,"
            + " secrets and devices of the old account, which stay in the store.";

    static final String FILE_NAME = "credentials.json";

    private static final String ACCOUNT_SID = "account_sid";
    private static final String AUTH_TOKEN = "auth_token";

    // Streaming Jackson only: ObjectMapper would add a noticeable share to serve's start-up.
    private static final JsonFactory JSON = new JsonFactory();

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
        checkOwnerOnly();

        String sid = null;
        String token = null;
        try (JsonParser parser = JSON.createParser(Files.readAllBytes(path))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(parser, "expected a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals(ACCOUNT_SID)) {
                    sid = parser.getValueAsString();
                } else if (name.equals(AUTH_TOKEN)) {
                    token = parser.getValueAsString();
                } else {
                    parser.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            // The parser's message quotes the text it choked on, which may be the auth token, so
            // only the location is shown and the exception is not attached.
            JsonLocation where = e.getLocation();
            String location = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
            throw new CliException(ExitCode.USAGE, "The credentials file " + path + " is not valid JSON"
                    + location + ". " + REPAIR_HINT);
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "Failed to read the credentials file " + path
                    + ": " + e.getMessage().lines().findFirst().orElse("") + ". " + REPAIR_HINT, e);
        }

        if (sid == null || sid.isEmpty() || token == null || token.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "The credentials file " + path + " lacks " + ACCOUNT_SID
                    + " or " + AUTH_TOKEN + ". " + REPAIR_HINT);
        }
        return Optional.of(new Credentials(sid, token, "the file " + path));
    }

    /**
     * Rejects a file that grants any permission to its group or to others, as the store does for
     * its master key file, because the file contains the auth token, which gives full access to the account.
     */
    private void checkOwnerOnly() {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view == null) {
            // NOTE: on file systems without POSIX modes the file's access is not checked.
            return;
        }

        Set<PosixFilePermission> permissions;
        try {
            permissions = view.readAttributes().permissions();
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "Failed to read the mode of the credentials file " + path
                    + ": " + e.getMessage() + ". Check the data directory's permissions.", e);
        }
        boolean othersHaveAccess = permissions.stream().anyMatch(permission -> !permission.name().startsWith("OWNER_"));
        if (othersHaveAccess) {
            throw new CliException(ExitCode.USAGE, "The credentials file " + path + " has mode "
                    + PosixFilePermissions.toString(permissions) + " but must be readable by its owner only,"
                    + " because it holds the auth token. Run: chmod 600 " + path);
        }
    }

    /**
     * Writes the credentials with mode 0600, failing if the file exists. The content goes to a
     * temporary file first and is moved into place, so a reader never sees half a file. A missing
     * data directory is created with mode 0700.
     */
    void create(String accountSid, String authToken) throws IOException {
        DataDirectories.createOwnerOnly(path.getParent());
        if (Files.exists(path)) {
            throw new FileAlreadyExistsException(path.toString());
        }

        ByteArrayOutputStream content = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(content).useDefaultPrettyPrinter()) {
            json.writeStartObject();
            json.writeStringField(ACCOUNT_SID, accountSid);
            json.writeStringField(AUTH_TOKEN, authToken);
            json.writeEndObject();
        }

        Path temporary = path.resolveSibling(FILE_NAME + ".tmp");
        Files.deleteIfExists(temporary);
        var ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
        try (FileChannel channel = FileChannel.open(temporary,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly)) {
            OutputStream out = Channels.newOutputStream(channel);
            content.writeTo(out);
            out.write('\n');
            channel.force(true);
        }
        Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
    }
}
