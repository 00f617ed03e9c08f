package dev.mvsim.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/** The exit status, stdout and stderr of one in-process run of the {@code mvsim} command. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(Map<String, String> variables, String stdin, String... args) {
        CliEnvironment environment = new CliEnvironment(variables,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), null, new InProcessLifecycle());
        return run(environment, args);
    }

    static CliRun run(CliEnvironment environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine(environment);
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exitCode = command.execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    /** Returns stderr's lines; every failure must fit on one. */
    String[] errLines() {
        return err.lines().toArray(String[]::new);
    }
}
