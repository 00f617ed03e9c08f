package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.link.ItemStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The vendor docs' curl command, run as written against the local server. */
class CurlCompatibilityTest {

    private final LocalCloud local = new LocalCloud();

    @AfterEach
    void close() {
        local.close();
    }

    @Test
    void curlSecretCreateReturnsMetadataOnly() throws Exception {
        String value = "p@ss&word=1+2%3 ü";

        JsonNode created = LocalCloud.JSON.readTree(curl("-X", "POST", local.server.baseUri() + "/v1/Secrets",
                "--data-urlencode", "Key=wifi-password",
                "--data-urlencode", "Value=" + value,
                "-u", local.account.sid() + ":" + local.account.authToken()));

        List<String> fields = new ArrayList<>();
        created.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("key", "date_rotated", "url");
        assertThat(created.get("key").asText()).isEqualTo("wifi-password");
        assertThat(local.cloud.findItem(ItemId.account(local.account.sid(), ItemStore.SECRET, "wifi-password"))
                .orElseThrow().value()).isEqualTo(value);
    }

    /** Runs curl with {@code --fail}, as the vendor README does, and returns its output. */
    private static String curl(String... arguments) throws IOException, InterruptedException {
        assumeTrue(curlIsInstalled(), "curl is not installed");

        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--fail"));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("mvsim-curl", ".json");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("curl finished in time").isTrue();
            assertThat(process.exitValue()).as("curl exit status").isZero();
            return Files.readString(output, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static boolean curlIsInstalled() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, "curl"))) {
                return true;
            }
        }
        return false;
    }
}
