package dev.mvsim.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of the commands that talk to a running server: options, client and output. */
@Command(mixinStandardHelpOptions = true)
abstract class ClientCommand implements Callable<Integer> {

    protected final CliEnvironment environment;

    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    ClientCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    RestClient restClient() {
        return new RestClient(client.baseUri(environment), client.credentials(environment));
    }

    Output output() {
        return new Output(spec.commandLine().getOut());
    }
}
