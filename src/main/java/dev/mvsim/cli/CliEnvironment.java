package dev.mvsim.cli;

import java.io.Console;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;

/**
 * The inputs a command reads besides its arguments: environment variables, standard input, the
 * terminal (null when input or output is redirected) and the hooks that end {@code serve}.
 * Tests build one with their own variables and input; {@link #system()} is the real process.
 */
record CliEnvironment(
        Map<String, String> variables, InputStream stdin, Console console, ServeLifecycle lifecycle) {

    static final String URL = "MVSIM_URL";
    static final String DATA_DIR = "MVSIM_DATA_DIR";
    static final String ACCOUNT_SID = "MVSIM_ACCOUNT_SID";
    static final String AUTH_TOKEN = "MVSIM_AUTH_TOKEN";

    CliEnvironment {
        variables = Map.copyOf(variables);
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(lifecycle, "lifecycle");
    }

    static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), System.in, System.console(), new ProcessLifecycle());
    }

    /** Returns the variable's value, or null when it is unset or empty. */
    String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isEmpty() ? null : value;
    }
}
