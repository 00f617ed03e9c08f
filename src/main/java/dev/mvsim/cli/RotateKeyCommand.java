package dev.mvsim.cli;

import dev.mvsim.cloud.store.crypto.MasterKey;
import dev.mvsim.cloud.store.crypto.MasterKeySource;
import dev.mvsim.cloud.store.sqlite.KeyRotation;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mvsim store rotate-key}: re-seals the stopped store's auth tokens, device keys and
 * secrets under a new master key. With the key in {@code master.key}, the new key goes to
 * {@code master.key.new} first and replaces {@code master.key} after the commit, so running the
 * command again after a crash finishes the rotation. With the key in {@code MVSIM_MASTER_KEY},
 * the new key comes from {@code MVSIM_NEW_MASTER_KEY}, because a command cannot change its
 * caller's environment.
 */
@Command(name = "rotate-key", mixinStandardHelpOptions = true,
        description = "Re-seal every secret, device key and auth token under a new master key. Stop serve first.")
final class RotateKeyCommand implements Callable<Integer> {

    /** The new key, when the current one comes from the environment or the caller chooses it. */
    static final String NEW_KEY_VARIABLE = "MVSIM_NEW_MASTER_KEY";

    private final CliEnvironment environment;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory of the store (default: $MVSIM_DATA_DIR, else ./" + Defaults.DATA_DIRECTORY + ").")
    Path dataDirectory;

    @Spec
    CommandSpec spec;

    RotateKeyCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        Path directory = Defaults.dataDirectory(dataDirectory, environment);
        String fromEnvironment = environment.variable(MasterKeySource.ENVIRONMENT_VARIABLE);
        MasterKey newFromEnvironment = parseNewKey();
        Output output = new Output(spec.commandLine().getOut());

        if (fromEnvironment != null) {
            rotateEnvironmentKey(directory, fromEnvironment, newFromEnvironment, output);
        } else {
            rotateKeyFile(directory, newFromEnvironment, output);
        }
        return ExitCode.OK;
    }

    private void rotateEnvironmentKey(Path directory, String oldText, MasterKey newKey, Output output) {
        if (newKey == null) {
            throw new CliException(ExitCode.USAGE, MasterKeySource.ENVIRONMENT_VARIABLE + " is set, so the new key"
                    + " must come from " + NEW_KEY_VARIABLE + ": set it to 64 hex digits, for example from"
                    + " 'openssl rand -hex 32', and run the command again.");
        }
        KeyRotation.Result result;
        try {
            MasterKey oldKey = MasterKey.parse(oldText, "environment variable " + MasterKeySource.ENVIRONMENT_VARIABLE);
            result = KeyRotation.rotate(directory, oldKey, newKey);
        } catch (RuntimeException e) {
            throw StoreFailures.describe("rotate the master key of", directory, e);
        }
        report(result, output);
        output.line("Set " + MasterKeySource.ENVIRONMENT_VARIABLE + " to the value of " + NEW_KEY_VARIABLE
                + " before the next 'mvsim serve'.");
    }

    private void rotateKeyFile(Path directory, MasterKey chosenKey, Output output) {
        KeyRotation.Result result;
        boolean wrotePending = false;
        AtomicBoolean committed = new AtomicBoolean();
        try {
            MasterKey oldKey = MasterKeySource.readExistingKeyFile(directory);
            Optional<MasterKey> pending = MasterKeySource.readPendingKeyFile(directory);
            if (pending.isPresent() && chosenKey != null && !pending.get().equals(chosenKey)) {
                throw new CliException(ExitCode.USAGE, "An interrupted rotation left "
                        + directory.resolve(MasterKeySource.PENDING_KEY_FILE_NAME) + " with another key than "
                        + NEW_KEY_VARIABLE + ". Unset " + NEW_KEY_VARIABLE + " to finish that rotation first.");
            }

            MasterKey newKey = pending.orElseGet(() -> chosenKey != null ? chosenKey : MasterKey.generate(new SecureRandom()));
            if (pending.isEmpty()) {
                MasterKeySource.writePendingKeyFile(directory, newKey);
                wrotePending = true;
            }
            result = KeyRotation.rotate(directory, oldKey, newKey, () -> {
                committed.set(true);
                MasterKeySource.promotePendingKeyFile(directory);
            });
        } catch (CliException e) {
            throw e;
        } catch (RuntimeException e) {
            // Before the commit the store still needs the old key, so the pending key is dropped.
            // After it, the pending key is the only copy of the store's key and must stay.
            if (wrotePending && !committed.get()) {
                MasterKeySource.deletePendingKeyFile(directory);
            }
            throw StoreFailures.describe("rotate the master key of", directory, e);
        }
        report(result, output);
        output.line("The new key is in " + directory.resolve(MasterKeySource.KEY_FILE_NAME).toAbsolutePath()
                + ". Back it up; database backups from before the rotation still need the old key.");
    }

    private MasterKey parseNewKey() {
        String text = environment.variable(NEW_KEY_VARIABLE);
        if (text == null) {
            return null;
        }
        try {
            return MasterKey.parse(text, "environment variable " + NEW_KEY_VARIABLE);
        } catch (RuntimeException e) {
            throw new CliException(ExitCode.MASTER_KEY, e.getMessage() + ".", e);
        }
    }

    private static void report(KeyRotation.Result result, Output output) {
        if (result.alreadyRotated()) {
            output.line("The store was already sealed under the new key; finished the interrupted rotation.");
            return;
        }
        output.line("Re-sealed under the new master key: auth tokens " + result.accounts() + ", device keys "
                + result.devices() + ", secrets " + result.secrets() + ".");
    }
}
