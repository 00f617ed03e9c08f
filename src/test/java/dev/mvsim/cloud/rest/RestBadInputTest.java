package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each bad input gets a Twilio-style error that names the parameter and never echoes a secret. */
class RestBadInputTest {

    private static final String SECRET = "TOP-SECRET-7f3a9c";

    private final LocalCloud local = new LocalCloud();

    @AfterEach
    void close() {
        local.close();
    }

    @Test
    void missingKeyIs400() {
        LocalCloud.Reply answer = local.post("/v1/Secrets", "Value", SECRET);

        assertError(answer, 400, 20001);
        assertThat(answer.json().get("message").asText()).contains("Key");
    }

    @Test
    void missingValueIs400() {
        LocalCloud.Reply answer = local.post("/v1/Secrets", "Key", "k");

        assertError(answer, 400, 20001);
        assertThat(answer.json().get("message").asText()).contains("Value");
    }

    @Test
    void missingValueOnUpdateIs400() {
        local.post("/v1/Secrets", "Key", "k", "Value", SECRET);

        LocalCloud.Reply answer = local.post("/v1/Secrets/k");

        assertError(answer, 400, 20001);
        assertThat(answer.json().get("message").asText()).contains("Value");
    }

    @Test
    void emptyKeyIs400() {
        LocalCloud.Reply answer = local.post("/v1/Secrets", "Key", "", "Value", SECRET);

        assertError(answer, 400, 20001);
        assertThat(answer.json().get("message").asText()).contains("Key is empty");
    }

    @Test
    void keyOf100CharactersIsAccepted() {
        LocalCloud.Reply answer = local.post("/v1/Secrets", "Key", "k".repeat(100), "Value", SECRET);

        assertThat(answer.status()).isEqualTo(201);
    }

    @Test
    void keyOf101CharactersIs400() {
        LocalCloud.Reply answer = local.post("/v1/Secrets", "Key", "k".repeat(101), "Value", SECRET);

        assertError(answer, 400, 20001);
        assertThat(answer.json().get("message").asText()).contains("Key is 101 characters long; the maximum is 100");
    }

    @Test
    void valueOf4096CharactersIsAccepted() {
        LocalCloud.Reply answer = local.post("/v1/Configs", "Key", "k", "Value", "v".repeat(4096));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.json().get("value").asText()).hasSize(4096);
    }

    @Test
    void valueLimitCountsCodePoints() {
        // 4096 emoji are 8192 UTF-16 chars and 16384 UTF-8 bytes, but 4096 code points.
        String emoji = "\uD83D\uDE80".repeat(4096);

        LocalCloud.Reply answer = local.post("/v1/Configs", "Key", "k", "Value", emoji);

        assertThat(answer.status()).isEqualTo(201);
        assertThat(local.get("/v1/Configs/k").json().get("value").asText()).isEqualTo(emoji);
    }

    @Test
    void valueOf4097CharactersIs400() {
        String value = SECRET + "x".repeat(4097 - SECRET.length());

        LocalCloud.Reply answer = local.post("/v1/Secrets", "Key", "k", "Value", value);

        assertError(answer, 400, 20001);
        assertThat(answer.json().get("message").asText())
                .contains("Value is 4097 characters (Unicode code points) long; the maximum is 4096");
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "has/slash", "bell\u0007", "tab\t", "del\u007F", "ключ", "caf\u00e9"})
    void keyOutsidePrintableAsciiIs400(String key) {
        LocalCloud.Reply answer = local.post("/v1/Secrets", "Key", key, "Value", SECRET);

        assertError(answer, 400, 20001);
        assertThat(answer.json().get("message").asText())
                .startsWith("Key contains")
                .contains("printable ASCII characters (0x21 to 0x7E) except '/'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "abc", "-1"})
    void invalidPageSizeIs400(String pageSize) {
        LocalCloud.Reply answer = local.get("/v1/Secrets?PageSize=" + pageSize);

        assertError(answer, 400, 20001);
        assertThat(answer.json().get("message").asText()).startsWith("PageSize");
    }

    @Test
    void pageBeyondZeroWithoutTokenIs400() {
        LocalCloud.Reply answer = local.get("/v1/Secrets?Page=2");

        assertError(answer, 400, 20001);
        assertThat(answer.json().get("message").asText()).contains("PageToken is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"forged", "AAAAAQ", "AAAAAWsxAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "%25%25"})
    void forgedPageTokenIs400(String token) {
        LocalCloud.Reply answer = local.get("/v1/Secrets?PageSize=1&Page=1&PageToken=" + token);

        assertError(answer, 400, 20001);
        assertThat(answer.json().get("message").asText()).contains("in-memory server");
    }

    @Test
    void pageTokenOfAnotherListIs400() {
        local.post("/v1/Configs", "Key", "a", "Value", "1");
        local.post("/v1/Configs", "Key", "b", "Value", "2");
        String next = local.get("/v1/Configs?PageSize=1").json().get("meta").get("next_page_url").asText();
        String query = next.substring(next.indexOf('?'));

        LocalCloud.Reply answer = local.get("/v1/Secrets" + query);

        assertError(answer, 400, 20001);
        assertThat(answer.json().get("message").asText()).startsWith("PageToken is invalid");
    }

    @Test
    void tamperedPageTokenIs400() {
        local.post("/v1/Configs", "Key", "a", "Value", "1");
        local.post("/v1/Configs", "Key", "b", "Value", "2");
        String next = local.get("/v1/Configs?PageSize=1").json().get("meta").get("next_page_url").asText();
        // The last base64 character of the token may carry unused bits, which the decoder
        // ignores, so a character a few places before it is changed instead.
        int index = next.length() - 4;
        char original = next.charAt(index);
        String tampered = next.substring(0, index) + (original == 'A' ? 'B' : 'A') + next.substring(index + 1);

        LocalCloud.Reply answer = local.get(tampered);

        assertError(answer, 400, 20001);
    }

    @Test
    void duplicateKeyIs409AndKeepsValue() {
        local.post("/v1/Configs", "Key", "k", "Value", "first");

        LocalCloud.Reply answer = local.post("/v1/Configs", "Key", "k", "Value", "second");

        assertError(answer, 409, 20409);
        assertThat(local.get("/v1/Configs/k").json().get("value").asText()).isEqualTo("first");
    }

    @Test
    void duplicateSecretIs409WithoutValue() {
        local.post("/v1/Secrets", "Key", "k", "Value", "first");

        LocalCloud.Reply answer = local.post("/v1/Secrets", "Key", "k", "Value", SECRET);

        assertError(answer, 409, 20409);
    }

    @Test
    void updateOfMissingKeyIs404() {
        LocalCloud.Reply answer = local.post("/v1/Secrets/nothing-here", "Value", SECRET);

        assertError(answer, 404, 20404);
        assertThat(local.get("/v1/Secrets/nothing-here").status()).isEqualTo(404);
    }

    @Test
    void unknownKeyIs404() {
        assertError(local.get("/v1/Configs/nothing-here"), 404, 20404);
    }

    @Test
    void unknownDeviceIs404() {
        String unknown = "UV" + "0".repeat(32);

        assertError(local.get("/v1/Devices/" + unknown), 404, 20404);
        assertError(local.get("/v1/Devices/" + unknown + "/Secrets"), 404, 20404);
        assertError(local.post("/v1/Devices/" + unknown + "/Secrets", "Key", "k", "Value", SECRET), 404, 20404);
        assertError(local.get("/v1/Devices/no-such-name/Configs/k"), 404, 20404);
    }

    @Test
    void unsupportedMethodIs405() {
        LocalCloud.Reply put = local.send(local.request("/v1/Configs")
                .PUT(HttpRequest.BodyPublishers.ofString("Key=k&Value=v"))
                .header("Content-Type", "application/x-www-form-urlencoded"), local.account);
        LocalCloud.Reply deleteList = local.delete("/v1/Secrets");

        assertError(put, 405, 20004);
        assertThat(put.response().headers().firstValue("Allow")).hasValue("GET, HEAD, POST");
        assertError(deleteList, 405, 20004);
    }

    @Test
    void appsAre404() {
        assertError(local.get("/v1/Apps"), 404, 20404);
        assertThat(local.get("/v1/Apps/KA" + "0".repeat(32)).json().get("message").asText())
                .contains("mvsim does not simulate Apps");
    }

    @Test
    void unknownPathIs404() {
        assertError(local.get("/v2/Configs"), 404, 20404);
        assertError(local.get("/v1/Configs/a/b"), 404, 20404);
    }

    @Test
    void jsonBodyIs415() {
        LocalCloud.Reply answer = local.send(local.request("/v1/Secrets")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"Key\":\"k\",\"Value\":\"" + SECRET + "\"}")),
                local.account);

        assertError(answer, 415, 20415);
        assertThat(answer.json().get("message").asText()).contains("application/x-www-form-urlencoded");
        assertThat(local.get("/v1/Secrets/k").status()).isEqualTo(404);
    }

    @Test
    void bodyWithoutContentTypeIs415() {
        LocalCloud.Reply answer = local.send(local.request("/v1/Secrets")
                .POST(HttpRequest.BodyPublishers.ofString("Key=k&Value=" + SECRET)), local.account);

        assertError(answer, 415, 20415);
    }

    @Test
    void nonUtf8PathEscapeIs400() {
        LocalCloud.Reply answer = local.get("/v1/Configs/%FF");

        assertError(answer, 400, 20001);
        assertThat(answer.json().get("message").asText()).contains("%FF").contains("not valid UTF-8");
    }

    @Test
    void jsonBodyOnDeleteIs415AndDeletesNothing() {
        local.post("/v1/Configs", "Key", "k", "Value", "v");

        LocalCloud.Reply answer = local.send(local.request("/v1/Configs/k")
                .header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString("{}")), local.account);

        assertError(answer, 415, 20415);
        assertThat(local.get("/v1/Configs/k").status()).isEqualTo(200);
    }

    @Test
    void jsonBodyOnGetIs415() {
        local.post("/v1/Configs", "Key", "k", "Value", "v");

        LocalCloud.Reply answer = local.send(local.request("/v1/Configs/k")
                .header("Content-Type", "application/json")
                .method("GET", HttpRequest.BodyPublishers.ofString("{}")), local.account);

        assertError(answer, 415, 20415);
    }

    @Test
    void latin1CharsetIs415NamingIt() {
        LocalCloud.Reply answer = postWithType("application/x-www-form-urlencoded; charset=ISO-8859-1");

        assertError(answer, 415, 20415);
        assertThat(answer.json().get("message").asText()).contains("ISO-8859-1");
        assertThat(local.get("/v1/Configs/k").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=UTF-8",
        "application/x-www-form-urlencoded;charset=utf-8",
        "Application/X-WWW-Form-Urlencoded; Charset=\"Utf-8\""
    })
    void utf8OrNoCharsetIsAccepted(String contentType) {
        LocalCloud.Reply answer = postWithType(contentType);

        assertThat(answer.status()).isEqualTo(201);
    }

    private LocalCloud.Reply postWithType(String contentType) {
        return local.send(local.request("/v1/Configs")
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString("Key=k&Value=v")), local.account);
    }

    @Test
    void invalidPercentEncodingInBodyIs400() {
        LocalCloud.Reply answer = local.send(local.request("/v1/Secrets")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Key=k&Value=" + SECRET + "%zz")), local.account);

        assertError(answer, 400, 20001);
        assertThat(answer.json().get("message").asText()).contains("Value");
    }

    @Test
    void repeatedParameterIs400() {
        LocalCloud.Reply answer = local.send(local.request("/v1/Secrets")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Key=k&Value=" + SECRET + "&Value=" + SECRET)),
                local.account);

        assertError(answer, 400, 20001);
        assertThat(answer.json().get("message").asText()).contains("Value appears more than once");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%ff%fe", "caf%e9", "%ed%a0%80"})
    void malformedUtf8ValueIs400AndStoresNothing(String escapes) {
        LocalCloud.Reply answer = local.send(local.request("/v1/Configs")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Key=k&Value=" + SECRET + escapes)), local.account);

        assertError(answer, 400, 20001);
        assertThat(answer.json().get("message").asText()).contains("Value", "not valid UTF-8");
        assertThat(local.get("/v1/Configs/k").status()).isEqualTo(404);
    }

    @Test
    void rawNonUtf8BodyIs400() {
        byte[] latin1 = ("Key=k&Value=" + SECRET + "\u00e9").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

        LocalCloud.Reply answer = local.send(local.request("/v1/Configs")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(latin1)), local.account);

        assertError(answer, 400, 20001);
        assertThat(local.get("/v1/Configs/k").status()).isEqualTo(404);
    }

    @Test
    void supplementaryCharactersRoundTrip() {
        String value = "emoji \uD83D\uDE00 and %41";

        LocalCloud.Reply answer = local.post("/v1/Configs", "Key", "k", "Value", value);

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.json().get("value").asText()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {".", ".."})
    void dotSegmentKeyIs400(String key) {
        LocalCloud.Reply answer = local.post("/v1/Configs", "Key", key, "Value", "v");

        assertError(answer, 400, 20001);
        assertThat(answer.json().get("message").asText()).contains("relative segment");
    }

    /** Checks status, the error body's fields, and that the body does not carry the secret. */
    private static void assertError(LocalCloud.Reply answer, int status, int code) {
        assertThat(answer.status()).as("HTTP status of %s", answer.body()).isEqualTo(status);
        assertThat(answer.response().headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode json = answer.json();
        assertThat(json.get("code").asInt()).isEqualTo(code);
        assertThat(json.get("status").asInt()).isEqualTo(status);
        assertThat(json.get("more_info").asText()).isEqualTo("https://www.twilio.com/docs/errors/" + code);
        assertThat(json.get("message").asText()).isNotBlank();
        assertThat(answer.body()).doesNotContain(SECRET);
    }
}
