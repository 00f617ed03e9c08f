package dev.mvsim.cli;

import java.nio.file.Path;

/** Defaults shared by {@code serve} and the client commands, so that they find each other. */
final class Defaults {

    /** The port {@code serve} listens on when {@code --port} is not given. */
    static final int PORT = 8460;

    static final String BIND_ADDRESS = "127.0.0.1";

    static final String URL = "http://" + BIND_ADDRESS + ":" + PORT;

    static final String DATA_DIRECTORY = ".mvsim";

    private Defaults() {
    }

    /** Resolves the data directory: the option, else {@code MVSIM_DATA_DIR}, else {@code ./.mvsim}. */
    static Path dataDirectory(Path option, CliEnvironment environment) {
        if (option != null) {
            if (option.toString().isEmpty()) {
                throw new CliException(ExitCode.USAGE, "Invalid --data-dir: the path is empty. Give a directory, "
                        + "such as ./" + DATA_DIRECTORY + ", or leave the option out.");
            }
            return option;
        }
        // An empty variable counts as unset, as shells treat VAR= in front of a command.
        String variable = environment.variable(CliEnvironment.DATA_DIR);
        return Path.of(variable != null && !variable.isEmpty() ? variable : DATA_DIRECTORY);
    }
}
