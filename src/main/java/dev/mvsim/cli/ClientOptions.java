package dev.mvsim.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options of every client command: where the server is, where credentials are, output format. */
final class ClientOptions {

    @Option(names = "--url", paramLabel = "URL",
            description = "Base URL of the mvsim server (default: $MVSIM_URL, else " + Defaults.URL + ").")
    String url;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory whose credentials.json contains the account, used when "
                    + "MVSIM_ACCOUNT_SID and MVSIM_AUTH_TOKEN are unset "
                    + "(default: $MVSIM_DATA_DIR, else ./" + Defaults.DATA_DIRECTORY + ").")
    Path dataDirectory;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    /** Resolves the server's base URL from the option, {@code MVSIM_URL} or the default. */
    URI baseUri(CliEnvironment environment) {
        String text = url;
        if (text == null) {
            text = environment.variable(CliEnvironment.URL);
        }
        if (text == null) {
            text = Defaults.URL;
        }

        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new CliException(ExitCode.USAGE, "Invalid server URL '" + text + "': " + e.getReason()
                    + ". Give one like " + Defaults.URL + " with --url or MVSIM_URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new CliException(ExitCode.USAGE, "Invalid server URL '" + text
                    + "': expected http://HOST:PORT, for example " + Defaults.URL + ".");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new CliException(ExitCode.USAGE, "Invalid server URL '" + text
                    + "': it must not have a query ('?') or fragment ('#'), because the API paths are added"
                    + " after it. Give one like " + Defaults.URL + ".");
        }
        // The commands add /v1/... themselves, so a base ending in /v1 would reach /v1/v1/...
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.endsWith("/v1") || path.endsWith("/v1/")) {
            throw new CliException(ExitCode.USAGE, "Invalid server URL '" + text
                    + "': it ends in /v1, which every command adds itself. Remove the /v1, as in "
                    + Defaults.URL + ".");
        }

        // Schemes are case-insensitive (RFC 3986), so HTTP://... is http://...
        return URI.create(scheme + text.substring(uri.getScheme().length()));
    }

    /**
     * Resolves the credentials: both {@code MVSIM_ACCOUNT_SID} and {@code MVSIM_AUTH_TOKEN} when
     * set, else the credentials file that {@code serve} wrote in the data directory.
     */
    Credentials credentials(CliEnvironment environment) {
        String sid = environment.variable(CliEnvironment.ACCOUNT_SID);
        String token = environment.variable(CliEnvironment.AUTH_TOKEN);
        if (sid != null && token != null) {
            return new Credentials(sid, token,
                    "the environment variables " + CliEnvironment.ACCOUNT_SID + " and " + CliEnvironment.AUTH_TOKEN);
        }
        if (sid != null || token != null) {
            String missing = sid == null ? CliEnvironment.ACCOUNT_SID : CliEnvironment.AUTH_TOKEN;
            throw new CliException(ExitCode.UNAUTHORIZED, missing + " is unset but "
                    + (sid == null ? CliEnvironment.AUTH_TOKEN : CliEnvironment.ACCOUNT_SID)
                    + " is set. Set both, or unset both to use the credentials file of the data directory.");
        }

        CredentialsFile file = new CredentialsFile(Defaults.dataDirectory(dataDirectory, environment));
        Optional<Credentials> stored = file.read();
        return stored.orElseThrow(() -> new CliException(ExitCode.UNAUTHORIZED,
                "No credentials found: " + file.path() + " does not exist and " + CliEnvironment.ACCOUNT_SID
                        + " and " + CliEnvironment.AUTH_TOKEN + " are unset. Set them, or pass the --data-dir "
                        + "where 'mvsim serve' wrote " + CredentialsFile.FILE_NAME + "."));
    }
}
