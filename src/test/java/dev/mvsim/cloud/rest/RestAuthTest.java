package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.cloud.RegisteredDevice;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.AccountRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HTTP Basic authentication and the isolation of one account from another. */
class RestAuthTest {

    private final LocalCloud local = new LocalCloud();

    @AfterEach
    void close() {
        local.close();
    }

    @Test
    void missingCredentialsAre401() {
        LocalCloud.Reply answer = local.send(local.request("/v1/Secrets").GET(), null);

        assertUnauthorized(answer);
    }

    @Test
    void wrongTokenIs401() {
        AccountRecord wrong = new AccountRecord(local.account.sid(), "0".repeat(32));

        assertUnauthorized(local.send(local.request("/v1/Secrets").GET(), wrong));
    }

    @Test
    void failedAuthenticationIsLoggedWithoutToken() {
        String token = "f".repeat(32);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        // A server of its own, because the shared one may have used up this minute's log lines.
        try (LocalCloud own = new LocalCloud(SimulatedCloud.inMemory())) {
            AccountRecord wrong = new AccountRecord(own.account.sid(), token);
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                assertUnauthorized(own.send(own.request("/v1/Secrets/logged-401").GET(), wrong));
            } finally {
                System.setErr(originalErr);
            }

            String log = captured.toString(StandardCharsets.UTF_8);
            assertThat(log).contains("Authentication failed (401) for GET /v1/Secrets/logged-401 from 127.0.0.1:");
            assertThat(log).contains("account " + own.account.sid());
            assertThat(log).doesNotContain(token);
        }
    }

    @Test
    void unknownAccountIs401() {
        AccountRecord unknown = new AccountRecord("AC" + "1".repeat(32), local.account.authToken());

        assertUnauthorized(local.send(local.request("/v1/Configs").GET(), unknown));
    }

    @Test
    void malformedAuthorizationHeaderIs401() {
        for (String header : new String[] {"Basic !!!", "Bearer abc", "Basic " + "bm9jb2xvbg=="}) {
            LocalCloud.Reply answer = local.send(local.request("/v1/Configs").GET().header("Authorization", header), null);

            assertUnauthorized(answer);
        }
    }

    @Test
    void unauthorizedAnswerHidesExistence() {
        local.post("/v1/Configs", "Key", "exists", "Value", "v");
        AccountRecord wrong = new AccountRecord(local.account.sid(), "0".repeat(32));

        LocalCloud.Reply existing = local.send(local.request("/v1/Configs/exists").GET(), wrong);
        LocalCloud.Reply missing = local.send(local.request("/v1/Configs/missing").GET(), wrong);
        LocalCloud.Reply noRoute = local.send(local.request("/v9/Nothing").GET(), wrong);

        assertUnauthorized(existing);
        assertThat(missing.body()).isEqualTo(existing.body());
        assertThat(noRoute.body()).isEqualTo(existing.body());
        assertThat(noRoute.status()).isEqualTo(401);
    }

    @Test
    void otherAccountsDeviceIs404() {
        AccountRecord other = local.cloud.createAccount();
        RegisteredDevice theirs = local.cloud.registerDevice(other.sid(), "theirs");
        local.send(local.request("/v1/Devices/" + theirs.sid() + "/Configs")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Key=k&Value=v")), other);

        assertThat(local.get("/v1/Devices/" + theirs.sid()).status()).isEqualTo(404);
        assertThat(local.get("/v1/Devices/theirs").status()).isEqualTo(404);
        assertThat(local.get("/v1/Devices/" + theirs.sid() + "/Configs/k").status()).isEqualTo(404);
        assertThat(local.post("/v1/Devices/" + theirs.sid() + "/Configs", "Key", "x", "Value", "v").status())
                .isEqualTo(404);
        assertThat(local.delete("/v1/Devices/" + theirs.sid() + "/Configs/k").status()).isEqualTo(404);
        assertThat(local.get("/v1/Devices").json().get("devices")).isEmpty();
    }

    @Test
    void otherAccountsItemsAreInvisible() {
        AccountRecord other = local.cloud.createAccount();
        local.send(local.request("/v1/Configs")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Key=theirs&Value=v")), other);

        assertThat(local.get("/v1/Configs/theirs").status()).isEqualTo(404);
        assertThat(local.get("/v1/Configs").json().get("configs")).isEmpty();
        assertThat(local.delete("/v1/Configs/theirs").status()).isEqualTo(404);
        assertThat(local.send(local.request("/v1/Configs/theirs").GET(), other).status()).isEqualTo(200);
    }

    private static void assertUnauthorized(LocalCloud.Reply answer) {
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.response().headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"mvsim\"");
        assertThat(answer.json().get("code").asInt()).isEqualTo(20003);
        assertThat(answer.json().get("message").asText()).isEqualTo("Authenticate");
        assertThat(answer.json().get("more_info").asText()).isEqualTo("https://www.twilio.com/docs/errors/20003");
        assertThat(answer.json().get("status").asInt()).isEqualTo(401);
    }
}
