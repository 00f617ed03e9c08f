package dev.mvsim.cloud.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Checks the raw bytes of every file under a data directory. */
final class DataFiles {

    private DataFiles() {}

    /** Fails when any file under {@code directory} contains any of the texts as UTF-8 bytes. */
    static void assertNoneContain(Path directory, String... texts) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("files in %s", directory).isNotEmpty();

        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            for (String text : texts) {
                assertThat(indexOf(content, text.getBytes(StandardCharsets.UTF_8)))
                        .as("offset of a secret in %s (-1: absent)", file.getFileName())
                        .isEqualTo(-1);
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int start = 0; start <= haystack.length - needle.length; start++) {
            for (int i = 0; i < needle.length; i++) {
                if (haystack[start + i] != needle[i]) {
                    continue outer;
                }
            }
            return start;
        }
        return -1;
    }
}
