package dev.mvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code serve --public-url}: values a client could not use as a base URL stop serve before it listens. */
class PublicUrlOptionTest {

    @TempDir
    Path dataDirectory;

    @ParameterizedTest
    @ValueSource(strings = {"localhost:8460", "/v1", "example.test", "ftp://example.test", "http:///path-only",
        "https://user:pass@example.test", "http://example.test/?a=b", "http://example.test/#top", "mailto:a@example.test"})
    void invalidPublicUrlIsUsageError(String value) throws Exception {
        RunningServe serve = RunningServe.start(Map.of(), "--port", "0", "--in-memory",
                "--data-dir", dataDirectory.toString(), "--public-url", value);
        CliRun run = serve.stop();

        assertThat(serve.listening()).isFalse();
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("--public-url '" + value + "'");
        assertThat(run.err()).contains("Example: https://");
        assertThat(dataDirectory.resolve("credentials.json")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.test", "HTTPS://example.test:8443", "http://127.0.0.1:9/prefix/"})
    void absoluteHttpUrlIsAccepted(String value) throws Exception {
        RunningServe serve = RunningServe.start(Map.of(), "--port", "0", "--in-memory",
                "--data-dir", dataDirectory.toString(), "--public-url", value);
        CliRun run = serve.stop();

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    }
}
