package dev.mvsim.cli;

/** Exit statuses of the {@code mvsim} command, documented in docs/cli.md. */
final class ExitCode {

    /** The command did what it was asked. */
    static final int OK = 0;

    /** The server rejected the request (an invalid key or value, a duplicate key, a server fault). */
    static final int REJECTED = 1;

    /** The command line or a local input was invalid: an unknown option, an unreadable value file. */
    static final int USAGE = 2;

    /** No server answered at the URL. */
    static final int UNREACHABLE = 3;

    /** The server rejected the credentials (HTTP 401), or none were found. */
    static final int UNAUTHORIZED = 4;

    /** The key, device or route does not exist (HTTP 404). */
    static final int NOT_FOUND = 5;

    /** {@code serve} failed to open its data directory or to start listening. */
    static final int SERVE_FAILED = 6;

    /** Another process, such as another {@code serve}, has the data directory's store open. */
    static final int STORE_IN_USE = 7;

    /** The master key does not match the store, is malformed, or its file is readable by others. */
    static final int MASTER_KEY = 8;

    /** The server at the URL responded, but not with the mvsim (Microvisor) REST API. */
    static final int NOT_MVSIM = 9;

    private ExitCode() {
    }
}
