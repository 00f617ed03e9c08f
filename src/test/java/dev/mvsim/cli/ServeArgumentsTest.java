package dev.mvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ServeArguments}: the plain serve command lines it parses, and those it leaves to picocli. */
class ServeArgumentsTest {

    private static final CliEnvironment ENVIRONMENT = new CliEnvironment(
            Map.of(), new ByteArrayInputStream(new byte[0]), null, new InProcessLifecycle());

    @Test
    void noOptionsGiveDefaults() {
        ServeCommand command = parse("serve").orElseThrow();

        assertThat(command.port).isEqualTo(Defaults.PORT);
        assertThat(command.bindAddress).isEqualTo(Defaults.BIND_ADDRESS);
        assertThat(command.dataDirectory).isNull();
        assertThat(command.publicUrl).isNull();
        assertThat(command.inMemory).isFalse();
        assertThat(command.json).isFalse();
    }

    @Test
    void everyOptionIsRead() {
        ServeCommand command = parse("serve", "--port", "0", "--bind=::1", "--data-dir", "/tmp/data",
                "--public-url=http://example.test:9000", "--in-memory", "--json").orElseThrow();

        assertThat(command.port).isZero();
        assertThat(command.bindAddress).isEqualTo("::1");
        assertThat(command.dataDirectory).isEqualTo(Path.of("/tmp/data"));
        assertThat(command.publicUrl).isEqualTo(URI.create("http://example.test:9000"));
        assertThat(command.inMemory).isTrue();
        assertThat(command.json).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "serve --help", "serve -h", "serve --version", "serve --unknown", "serve --port",
        "serve --port 08460", "serve --port 0x10", "serve --port 123456", "serve --port -1",
        "serve --port 1 --port 2", "serve --json --json", "serve --json=true", "serve --bind=",
        "serve --bind --json", "serve --public-url http://bad^url", "serve extra", "secrets list"
    })
    void otherCommandLinesGoToPicocli(String commandLine) {
        assertThat(parse(commandLine.split(" "))).isEmpty();
    }

    private static Optional<ServeCommand> parse(String... args) {
        return ServeArguments.parse(args, ENVIRONMENT);
    }
}
