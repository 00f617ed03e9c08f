package dev.mvsim.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The source of a create or update command's value: {@code --value-file}, standard input, or
 * {@code --value}. The first two keep the value out of shell history.
 */
final class ValueOptions {

    /** Largest input read, above the 4096-character limit so that the server reports the excess. */
    private static final int MAX_INPUT_BYTES = 64 * 1024;

    @Option(names = "--value-file", paramLabel = "FILE",
            description = "Read the value from FILE, UTF-8; '-' reads standard input. "
                    + "Without --value or --value-file the value is read from standard input, "
                    + "or asked for without echo when standard input is a terminal.")
    Path valueFile;

    @Option(names = "--value", paramLabel = "TEXT",
            description = "The value itself. It stays visible in shell history and in the process list; "
                    + "prefer --value-file or standard input for secrets.")
    String value;

    @Option(names = "--keep-newline",
            description = "Keep the one line ending at the end of a file or of standard input, "
                    + "which is removed by default.")
    boolean keepNewline;

    /** Reads the value from the chosen source. */
    String read(CliEnvironment environment, String key) {
        if (value != null && valueFile != null) {
            throw new CliException(ExitCode.USAGE, "Both --value and --value-file are given. Use one of them.");
        }
        if (value != null) {
            return value;
        }
        if (valueFile != null && !valueFile.toString().equals("-")) {
            return trimLineEnding(decode(readFile(valueFile), "the file " + valueFile));
        }
        if (valueFile == null && environment.console() != null) {
            return prompt(environment, key);
        }
        return trimLineEnding(decode(readStandardInput(environment.stdin()), "standard input"));
    }

    private static byte[] readFile(Path file) {
        if (Files.notExists(file)) {
            throw new CliException(ExitCode.USAGE, "The value file " + file + " does not exist. Check the path.");
        }
        if (Files.isDirectory(file)) {
            throw new CliException(ExitCode.USAGE, "The value file " + file + " is a directory. Pass a file.");
        }
        try {
            if (Files.size(file) > MAX_INPUT_BYTES) {
                throw new CliException(ExitCode.USAGE, "The value file " + file + " is larger than "
                        + MAX_INPUT_BYTES + " bytes; a value has at most 4096 characters.");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            String reason = e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
            throw new CliException(ExitCode.USAGE, "Failed to read the value file " + file + ": "
                    + reason + ". Check that it is readable.", e);
        }
    }

    private static byte[] readStandardInput(InputStream stdin) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            int read;
            while ((read = stdin.read(chunk)) != -1) {
                bytes.write(chunk, 0, read);
                if (bytes.size() > MAX_INPUT_BYTES) {
                    throw new CliException(ExitCode.USAGE, "Standard input is longer than "
                            + MAX_INPUT_BYTES + " bytes; a value has at most 4096 characters.");
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "Failed to read the value from standard input: " + e.getMessage(), e);
        }
    }

    /** Decodes strict UTF-8, so that a binary file fails here instead of arriving garbled. */
    private static String decode(byte[] bytes, String source) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CliException(ExitCode.USAGE, "The value in " + source + " is not valid UTF-8 text. "
                    + "Encode binary data as text first, for example with base64 or hex.", e);
        }
    }

    private String trimLineEnding(String text) {
        if (keepNewline) {
            return text;
        }
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        if (text.endsWith("\n")) {
            return text.substring(0, text.length() - 1);
        }
        return text;
    }

    /** Asks on the terminal without echo, so the value never shows on screen. */
    private static String prompt(CliEnvironment environment, String key) {
        char[] typed = environment.console().readPassword("Value for %s (not echoed): ", key);
        if (typed == null) {
            throw new CliException(ExitCode.USAGE, "No value given for " + key
                    + ". Type it at the prompt, pipe it to standard input, or use --value-file.");
        }
        return new String(typed);
    }
}
