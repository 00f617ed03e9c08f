package dev.mvsim.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Prints every failure as one line on stderr, prefixed by the command's name, and maps it to an
 * exit status. Unexpected exceptions keep their type so that a bug report has something to go on.
 */
final class ErrorHandlers implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception exception, CommandLine command, ParseResult parseResult) {
        if (exception instanceof ParameterException usage) {
            return handleParseException(usage, new String[0]);
        }
        return report(exception, command.getCommandSpec().qualifiedName(), command.getErr());
    }

    /** Prints a failure of the command {@code name}, such as "mvsim serve", and returns its exit status. */
    static int report(Exception exception, String name, PrintWriter err) {
        if (exception instanceof CliException failure) {
            err.println(name + ": " + failure.getMessage());
            err.flush();
            return failure.exitCode();
        }
        err.println(name + ": unexpected " + exception.getClass().getName() + ": " + exception.getMessage()
                + ". Please report this with the command line that caused it.");
        err.flush();
        return ExitCode.REJECTED;
    }

    @Override
    public int handleParseException(ParameterException exception, String[] args) {
        CommandLine command = exception.getCommandLine();
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        String reason = exception.getMessage().replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        err.println(name + ": " + reason + ". Run '" + name + " --help' for usage.");
        err.flush();
        return ExitCode.USAGE;
    }
}
