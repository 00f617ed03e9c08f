package dev.mvsim.cloud.store.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeySourceTest {

    private static final String HEX =
            "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

    @TempDir
    Path dataDirectory;

    private final SecureRandom random = new SecureRandom();

    private Path keyFile() {
        return dataDirectory.resolve(MasterKeySource.KEY_FILE_NAME);
    }

    @Test
    void keyFileCreatedOwnerOnly() throws Exception {
        MasterKeySource.resolve(dataDirectory, Map.of(), random);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile())))
                .isEqualTo("rw-------");
    }

    @Test
    void keyFileHoldsHexKey() throws Exception {
        MasterKey key = MasterKeySource.resolve(dataDirectory, Map.of(), random);

        assertThat(Files.readString(keyFile()).strip()).isEqualTo(key.toHex());
    }

    @Test
    void keyFileReusedOnLaterResolve() {
        MasterKey first = MasterKeySource.resolve(dataDirectory, Map.of(), random);
        MasterKey second = MasterKeySource.resolve(dataDirectory, Map.of(), random);

        assertThat(second).isEqualTo(first);
    }

    @Test
    void environmentTakesPrecedence() {
        MasterKey fromFile = MasterKeySource.resolve(dataDirectory, Map.of(), random);

        MasterKey key = MasterKeySource.resolve(
                dataDirectory, Map.of(MasterKeySource.ENVIRONMENT_VARIABLE, HEX), random);

        assertThat(key.toHex()).isEqualTo(HEX);
        assertThat(key).isNotEqualTo(fromFile);
    }

    @Test
    void environmentKeyCreatesNoFile() {
        MasterKeySource.resolve(
                dataDirectory, Map.of(MasterKeySource.ENVIRONMENT_VARIABLE, HEX), random);

        assertThat(keyFile()).doesNotExist();
    }

    @Test
    void blankEnvironmentFallsBackToFile() {
        MasterKeySource.resolve(
                dataDirectory, Map.of(MasterKeySource.ENVIRONMENT_VARIABLE, "  "), random);

        assertThat(keyFile()).exists();
    }

    @Test
    void malformedEnvironmentNamesVariable() {
        Map<String, String> environment = Map.of(MasterKeySource.ENVIRONMENT_VARIABLE, "hunter2");

        assertThatThrownBy(() -> MasterKeySource.resolve(dataDirectory, environment, random))
                .isInstanceOf(InvalidMasterKeyException.class)
                .hasMessageContaining("environment variable MVSIM_MASTER_KEY")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void groupReadableKeyFileRejected() throws Exception {
        MasterKeySource.resolve(dataDirectory, Map.of(), random);
        Files.setPosixFilePermissions(keyFile(), PosixFilePermissions.fromString("rw-r-----"));

        assertThatThrownBy(() -> MasterKeySource.resolve(dataDirectory, Map.of(), random))
                .isInstanceOf(InvalidMasterKeyException.class)
                .hasMessageContaining("rw-r-----")
                .hasMessageContaining("chmod 600 " + keyFile());
    }

    @Test
    void ownerReadOnlyKeyFileAccepted() throws Exception {
        MasterKey created = MasterKeySource.resolve(dataDirectory, Map.of(), random);
        Files.setPosixFilePermissions(keyFile(), PosixFilePermissions.fromString("r--------"));

        assertThat(MasterKeySource.resolve(dataDirectory, Map.of(), random)).isEqualTo(created);
    }

    @Test
    void malformedKeyFileNamesFile() throws Exception {
        Files.writeString(keyFile(), "garbage\n");
        Files.setPosixFilePermissions(keyFile(), PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> MasterKeySource.resolve(dataDirectory, Map.of(), random))
                .isInstanceOf(InvalidMasterKeyException.class)
                .hasMessageContaining("master key file " + keyFile());
    }
}
