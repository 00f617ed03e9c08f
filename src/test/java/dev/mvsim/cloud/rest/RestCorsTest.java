package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** mvsim sends no CORS headers: it serves scripts and test rigs, not browser pages. */
class RestCorsTest {

    private final LocalCloud local = new LocalCloud();

    @AfterEach
    void close() {
        local.close();
    }

    @Test
    void noCorsHeadersForBrowserOrigin() {
        LocalCloud.Reply get = local.send(local.request("/v1/Configs").GET().header("Origin", "https://page.example"),
                local.account);
        LocalCloud.Reply preflight = local.send(local.request("/v1/Configs")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://page.example")
                .header("Access-Control-Request-Method", "POST"), local.account);

        assertThat(get.status()).isEqualTo(200);
        assertThat(get.response().headers().map().keySet())
                .noneMatch(name -> name.toLowerCase(Locale.ROOT).startsWith("access-control-"));
        assertThat(preflight.status()).isEqualTo(405);
        assertThat(preflight.response().headers().map().keySet())
                .noneMatch(name -> name.toLowerCase(Locale.ROOT).startsWith("access-control-"));
    }
}
