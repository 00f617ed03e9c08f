package dev.mvsim.cli;

import dev.mvsim.cloud.CloudException;
import dev.mvsim.cloud.Sids;
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
     * Rejects an environment that names no usable account: only one of {@code MVSIM_ACCOUNT_SID}
     * and {@code MVSIM_AUTH_TOKEN} set, or a SID of the wrong shape. It reads nothing else, so
     * serve calls it before it opens the store or binds a port.
     */
    static void checkEnvironment(CliEnvironment environment) {
        String sid = environment.variable(CliEnvironment.ACCOUNT_SID);
        String token = environment.variable(CliEnvironment.AUTH_TOKEN);
        if ((sid == null) != (token == null)) {
            throw new CliException(ExitCode.USAGE, "Only one of " + CliEnvironment.ACCOUNT_SID + " and "
                    + CliEnvironment.AUTH_TOKEN + " is set. Set both to fix the account, or neither to use "
                    + "the data directory's credentials file.");
        }
        // The value is not shown, because a user who swapped the two variables may have put the token there.
        if (sid != null && !Sids.isAccountSid(sid)) {
            throw new CliException(ExitCode.USAGE, CliEnvironment.ACCOUNT_SID + " is invalid: it is "
                    + sid.length() + " characters long and must be AC followed by 32 hex digits.");
        }
    }

    /**
     * Returns the account that {@code MVSIM_ACCOUNT_SID} and {@code MVSIM_AUTH_TOKEN} name, else
     * the one in the data directory's credentials file, or empty when neither names one. It
     * fails when the store has that SID with another token. It writes no file, so serve calls it
     * before binding its ports.
     */
    static Optional<ServeAccount> existing(SimulatedCloud cloud, Path dataDirectory, CliEnvironment environment) {
        checkEnvironment(environment);
        String sid = environment.variable(CliEnvironment.ACCOUNT_SID);
        String token = environment.variable(CliEnvironment.AUTH_TOKEN);
        if (sid != null) {
            String source = "the environment variables " + CliEnvironment.ACCOUNT_SID + " and " + CliEnvironment.AUTH_TOKEN;
            return Optional.of(new ServeAccount(adopt(cloud, new Credentials(sid, token, source)), false, null));
        }

        CredentialsFile file = new CredentialsFile(dataDirectory);
        Optional<Credentials> stored = file.read();
        return stored.map(credentials -> new ServeAccount(adopt(cloud, credentials), false, file.path()));
    }

    /** Creates a new account and writes its credentials into the data directory's credentials file. */
    static ServeAccount createNew(SimulatedCloud cloud, Path dataDirectory) {
        CredentialsFile file = new CredentialsFile(dataDirectory);
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
