package dev.mvsim.cli;

import dev.mvsim.cloud.CloudException;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.AccountRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The account that {@code serve} runs for, and whether this start created it (its credentials
 * are then printed once). {@code credentialsFile} is null when the environment fixed the account.
 */
record ServeAccount(AccountRecord record, boolean created, Path credentialsFile) {

    /**
     * Finds or creates the account: the one that {@code MVSIM_ACCOUNT_SID} and
     * {@code MVSIM_AUTH_TOKEN} name, else the one in the data directory's credentials file, else
     * a new one whose credentials go into that file.
     */
    static ServeAccount ensure(
            SimulatedCloud cloud, Path dataDirectory, CliEnvironment environment) {
        String sid = environment.variable(CliEnvironment.ACCOUNT_SID);
        String token = environment.variable(CliEnvironment.AUTH_TOKEN);
        if (sid != null && token != null) {
            String source = "the environment variables " + CliEnvironment.ACCOUNT_SID + " and " + CliEnvironment.AUTH_TOKEN;
            return new ServeAccount(adopt(cloud, new Credentials(sid, token, source)), false, null);
        }
        if (sid != null || token != null) {
            throw new CliException(ExitCode.USAGE, "Only one of " + CliEnvironment.ACCOUNT_SID + " and "
                    + CliEnvironment.AUTH_TOKEN + " is set. Set both to fix the account, or neither to use "
                    + "the data directory's credentials file.");
        }

        CredentialsFile file = new CredentialsFile(dataDirectory);
        Optional<Credentials> stored = file.read();
        if (stored.isPresent()) {
            return new ServeAccount(adopt(cloud, stored.get()), false, file.path());
        }

        AccountRecord created = cloud.createAccount();
        try {
            file.create(created.sid(), created.authToken());
        } catch (IOException e) {
            throw new CliException(ExitCode.SERVE_FAILED, "Failed to write the credentials file " + file.path()
                    + ": " + e.getMessage() + ". Check the data directory's permissions, or pass another --data-dir.", e);
        }
        return new ServeAccount(created, true, file.path());
    }

    /** Returns the account with these credentials, creating it when the store lacks it. */
    private static AccountRecord adopt(SimulatedCloud cloud, Credentials credentials) {
        try {
            return cloud.createAccount(credentials.accountSid(), credentials.authToken());
        } catch (CloudException.InvalidParameter | CloudException.Conflict e) {
            throw new CliException(ExitCode.USAGE, "Cannot serve the account from " + credentials.source()
                    + ": " + e.getMessage() + ".", e);
        }
    }
}
