package dev.mvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher, simulator/mvsim, when it builds the jar. It runs in a copy of the project layout
 * with stand-ins for mvn and java on the PATH, so no real build runs. The stand-in mvn prints the
 * colour resets that Maven 3.8.7 prints with -B and -q.
 */
class LauncherBuildOutputTest {

    private static final Path LAUNCHER = Path.of("simulator/mvsim");
    private static final long TIMEOUT_SECONDS = 30;

    private static final String COLOUR_RESET = "\\033[0m";

    @TempDir
    Path root;

    private Path bin;

    private record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void copyLayout() throws IOException {
        Files.createDirectories(root.resolve("simulator"));
        Files.copy(LAUNCHER, root.resolve("simulator/mvsim"));
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        Files.createDirectories(root.resolve("src/main"));
        Files.createDirectories(root.resolve("native"));

        bin = Files.createDirectories(root.resolve("bin"));
        // The stand-in java creates the archive file the launcher names and reports no SQLite library.
        script("java", """
                for argument in "$@"; do
                  case "$argument" in -XX:ArchiveClassesAtExit=*) : > "${argument#-XX:ArchiveClassesAtExit=}" ;; esac
                done
                case " $* " in *" org.sqlite.util.OSInfo "*) exit 1 ;; esac
                echo "stand-in java ran"
                """);
    }

    private void script(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Run launch() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("simulator/mvsim").toString(), "--version");
        builder.environment().put("PATH", bin + ":/usr/bin:/bin");
        Path err = root.resolve("launcher.err");
        builder.redirectError(err.toFile());

        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        assertThat(finished).as("launcher finished within " + TIMEOUT_SECONDS + " s").isTrue();
        return new Run(process.exitValue(), out, Files.readString(err));
    }

    @Test
    void buildOutputHasNoColourCodes() throws Exception {
        script("mvn", "printf '" + COLOUR_RESET + COLOUR_RESET + "'\n"
                + "printf '" + COLOUR_RESET + "building\\n' >&2\n"
                + "mkdir -p target && : > target/mvsim.jar\n");

        Run run = launch();

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("stand-in java ran\n");
        assertThat(run.err()).contains("mvsim: building").contains("building\n");
        assertThat(run.err()).doesNotContain("\u001b");
    }

    @Test
    void failedBuildStopsLauncher() throws Exception {
        script("mvn", "printf '" + COLOUR_RESET + "[ERROR] compilation failed\\n'\nexit 1\n");

        Run run = launch();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("[ERROR] compilation failed").contains("the build failed");
    }
}
