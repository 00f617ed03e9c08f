package dev.mvsim.cli;

/**
 * A failure that ends a command with a one-line message on stderr and a non-zero exit status.
 * The message says what was wrong and what to do, and never contains a secret value or token.
 */
final class CliException extends RuntimeException {

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
