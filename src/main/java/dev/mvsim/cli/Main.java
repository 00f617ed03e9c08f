package dev.mvsim.cli;

import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mvsim} command: {@code serve} runs the simulated cloud, the other commands manage its
 * secrets, configs and devices over the REST API. Exit statuses are in {@link ExitCode}.
 */
@Command(name = "mvsim", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Simulated Microvisor cloud: serve the REST API for secrets and configs, and manage them.",
        synopsisSubcommandLabel = "COMMAND")
public final class Main implements Runnable {

    private final CliEnvironment environment;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Main(CliEnvironment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        configureLogging();
        CliEnvironment environment = CliEnvironment.system();
        Optional<ServeCommand> serve = ServeArguments.parse(args, environment);
        if (serve.isPresent()) {
            System.exit(runServe(serve.get()));
        }

        // picocli reflects over every command it is given, which costs about a fifth of serve's
        // start-up, so serve gets a tree with itself alone. Its own --help is unaffected.
        boolean serveOnly = args.length > 0 && args[0].equals("serve");
        CommandLine command = serveOnly ? serveCommandLine(environment) : commandLine(environment);
        System.exit(command.execute(args));
    }

    /** Runs serve as picocli's execute would, with the same messages and exit statuses. */
    static int runServe(ServeCommand serve) {
        try {
            return serve.call();
        } catch (Exception e) {
            return ErrorHandlers.report(e, "mvsim serve", new PrintWriter(System.err, true));
        }
    }

    /**
     * Sends Undertow's and XNIO's JBoss Logging output through SLF4J, keeps their start-up
     * banners out of the log and adds timestamps. A property set on the command line wins.
     */
    static void configureLogging() {
        setIfAbsent("org.jboss.logging.provider", "slf4j");
        setIfAbsent("org.slf4j.simpleLogger.log.io.undertow", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.org.xnio", "warn");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        preferCompatLocaleData();
    }

    /**
     * Puts the JDK's older locale data (COMPAT) ahead of CLDR's, for the log's timestamp format.
     * Loading CLDR's data for that one formatter cost about 50 ms of serve's start-up CPU on a
     * loaded 2-core machine, and the pattern holds only numbers, so the timestamps read the same.
     * Only Java 17 to 20 get this, because later releases warn about COMPAT or no longer ship it.
     */
    private static void preferCompatLocaleData() {
        if (Runtime.version().feature() < 21) {
            setIfAbsent("java.locale.providers", "COMPAT,CLDR");
        }
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** Builds the command tree with its error handlers, reading the given environment. */
    static CommandLine commandLine(CliEnvironment environment) {
        CommandLine root = serveCommandLine(environment);
        root.addSubcommand("secrets", itemGroup(ItemKind.SECRET, environment));
        root.addSubcommand("configs", itemGroup(ItemKind.CONFIG, environment));
        root.addSubcommand("devices", devicesGroup(environment));
        root.addSubcommand("store", storeGroup(environment));
        root.addSubcommand("demo", new DemoCommand());
        root.addSubcommand("help", new CommandLine.HelpCommand());
        return withErrorHandlers(root);
    }

    /** Builds the root command with {@code serve} as its only subcommand. */
    private static CommandLine serveCommandLine(CliEnvironment environment) {
        CommandLine root = new CommandLine(new Main(environment));
        root.addSubcommand("serve", new ServeCommand(environment));
        return withErrorHandlers(root);
    }

    /** Sets the handlers on the root and every subcommand added so far. */
    private static CommandLine withErrorHandlers(CommandLine root) {
        ErrorHandlers handlers = new ErrorHandlers();
        root.setExecutionExceptionHandler(handlers);
        root.setParameterExceptionHandler(handlers);
        return root;
    }

    private static CommandLine itemGroup(ItemKind kind, CliEnvironment environment) {
        CommandLine group = new CommandLine(new GroupCommand());
        group.getCommandSpec().usageMessage().description(
                "Manage " + kind.listKey() + " of the account, or of one device with --device SID.");
        String items = kind.listKey();
        addLeaf(group, "create", new ItemCommands.Create(kind, environment), "Create a " + kind.singular()
                + "; the value comes from --value-file, standard input or --value.");
        addLeaf(group, "get", new ItemCommands.Get(kind, environment), kind == ItemKind.CONFIG
                ? "Print a config's value (all its fields with --json)."
                : "Print a secret's metadata; a secret's value never leaves the server through the API.");
        addLeaf(group, "list", new ItemCommands.ListItems(kind, environment), "List all " + items + " with "
                + kind.dateField() + ".");
        addLeaf(group, "update", new ItemCommands.Update(kind, environment), "Replace a " + kind.singular()
                + "'s value; the value comes from --value-file, standard input or --value.");
        addLeaf(group, "delete", new ItemCommands.Delete(kind, environment), "Delete a " + kind.singular() + ".");
        return group;
    }

    private static CommandLine devicesGroup(CliEnvironment environment) {
        CommandLine group = new CommandLine(new GroupCommand());
        group.getCommandSpec().usageMessage().description("Register and list simulated devices.");
        addLeaf(group, "add", new DeviceCommands.Add(environment),
                "Register a simulated device and print its SID and device key.");
        addLeaf(group, "list", new DeviceCommands.ListDevices(environment), "List the account's devices.");
        return group;
    }

    private static CommandLine storeGroup(CliEnvironment environment) {
        CommandLine group = new CommandLine(new GroupCommand());
        group.getCommandSpec().usageMessage().description("Maintain the data directory's store while serve is stopped.");
        group.addSubcommand("rotate-key", new RotateKeyCommand(environment));
        return group;
    }

    private static void addLeaf(CommandLine group, String name, Object command, String description) {
        CommandLine leaf = new CommandLine(command);
        leaf.getCommandSpec().usageMessage().description(description);
        group.addSubcommand(name, leaf);
    }

    /** Without a command, prints the usage and fails, so that a script notices. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
    }

    /** A command group such as {@code secrets}, which only contains subcommands. */
    @Command(mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND")
    static final class GroupCommand implements Runnable {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
        }
    }
}
