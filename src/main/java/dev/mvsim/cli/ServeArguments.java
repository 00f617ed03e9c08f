package dev.mvsim.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Parses the options of {@code mvsim serve} without picocli. picocli 4.7 builds its command model
 * by reflection from classes that the class-data-sharing archive cannot hold (class file version
 * 49), which took more than a second of serve's start-up on a loaded 2-core machine. Only plain
 * command lines are parsed here. Anything else (help, version, unknown or repeated options,
 * values that picocli might read differently) returns empty, so that picocli parses it and
 * prints its usual messages.
 */
final class ServeArguments {

    private static final Set<String> VALUE_OPTIONS = Set.of("--port", "--bind", "--data-dir", "--public-url");
    private static final Set<String> FLAGS = Set.of("--in-memory", "--json");

    /** Maximum number of digits of a TCP port. */
    private static final int MAX_PORT_DIGITS = 5;

    private ServeArguments() {
    }

    /**
     * Returns a {@link ServeCommand} with the options of {@code args}, which start with
     * {@code serve}, or empty when picocli should parse them instead.
     */
    static Optional<ServeCommand> parse(String[] args, CliEnvironment environment) {
        if (args.length == 0 || !args[0].equals("serve")) {
            return Optional.empty();
        }
        ServeCommand command = new ServeCommand(environment);
        command.port = Defaults.PORT;
        command.bindAddress = Defaults.BIND_ADDRESS;

        Set<String> seen = new HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String argument = args[i];
            String name = argument;
            String value = null;
            int equals = argument.indexOf('=');
            if (argument.startsWith("--") && equals > 0) {
                name = argument.substring(0, equals);
                value = argument.substring(equals + 1);
            }
            if (!seen.add(name)) {
                return Optional.empty();
            }

            if (FLAGS.contains(name) && value == null) {
                setFlag(command, name);
                continue;
            }
            if (!VALUE_OPTIONS.contains(name)) {
                return Optional.empty();
            }
            if (value == null) {
                i++;
                if (i == args.length) {
                    return Optional.empty();
                }
                value = args[i];
            }
            if (value.isEmpty() || value.startsWith("-") || !setValue(command, name, value)) {
                return Optional.empty();
            }
        }
        return Optional.of(command);
    }

    private static void setFlag(ServeCommand command, String name) {
        if (name.equals("--in-memory")) {
            command.inMemory = true;
        } else {
            command.json = true;
        }
    }

    /** Sets the option, or returns false when picocli should judge the value. */
    private static boolean setValue(ServeCommand command, String name, String value) {
        switch (name) {
            case "--port" -> {
                // picocli reads the number itself, so only plain decimal digits are taken here.
                boolean decimal = value.length() <= MAX_PORT_DIGITS && value.chars().allMatch(Character::isDigit)
                        && (value.length() == 1 || value.charAt(0) != '0');
                if (!decimal) {
                    return false;
                }
                command.port = Integer.parseInt(value);
            }
            case "--bind" -> command.bindAddress = value;
            case "--data-dir" -> {
                try {
                    command.dataDirectory = Path.of(value);
                } catch (InvalidPathException e) {
                    return false;
                }
            }
            case "--public-url" -> {
                try {
                    command.publicUrl = new URI(value);
                } catch (URISyntaxException e) {
                    return false;
                }
            }
            default -> throw new IllegalArgumentException("Option " + name + " has no setter");
        }
        return true;
    }
}
