package dev.mvsim.cli;

import java.net.URI;
import java.util.Locale;

/** Checks the value of {@code serve --public-url}, the base of every URL in the API's responses. */
final class PublicUrlOption {

    private static final String EXAMPLE = "https://mvsim.example.com:8443 or http://127.0.0.1:8460/prefix";

    private PublicUrlOption() {
    }

    /**
     * Rejects a URL that clients could not follow as a base: not absolute, not http or https,
     * without a host, or with user info, a query or a fragment that the resource paths would land behind.
     */
    static void check(URI url) {
        if (url == null) {
            return;
        }
        String scheme = url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw invalid(url, "it must be an absolute http or https URL");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw invalid(url, "it has no host name");
        }
        if (url.getRawUserInfo() != null) {
            throw invalid(url, "it must not contain a user name or password");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw invalid(url, "it must not have a query ('?') or fragment ('#')");
        }
    }

    private static CliException invalid(URI url, String reason) {
        return new CliException(ExitCode.USAGE, "Invalid --public-url '" + url + "': " + reason
                + ". Example: " + EXAMPLE + ".");
    }
}
