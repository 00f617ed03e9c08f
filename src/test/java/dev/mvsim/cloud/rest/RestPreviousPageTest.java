package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code previous_page_url} on every page after the first, walked back and forth. */
class RestPreviousPageTest {

    private final LocalCloud local = new LocalCloud();

    @BeforeEach
    void createSevenConfigs() {
        for (String key : List.of("a", "b", "c", "d", "e", "f", "g")) {
            local.post("/v1/Configs", "Key", key, "Value", "v");
        }
    }

    @AfterEach
    void close() {
        local.close();
    }

    @Test
    void everyLaterPageLinksBack() {
        JsonNode page0 = local.get("/v1/Configs?PageSize=2").json();
        JsonNode page1 = follow(page0, "next_page_url");
        JsonNode page2 = follow(page1, "next_page_url");
        JsonNode page3 = follow(page2, "next_page_url");

        assertThat(keys(page3)).containsExactly("g");
        assertThat(page0.get("meta").get("previous_page_url").isNull()).isTrue();
        assertThat(page1.get("meta").get("previous_page_url").asText())
                .isEqualTo(page1.get("meta").get("first_page_url").asText());
        assertThat(page2.get("meta").get("previous_page_url").isNull()).isFalse();
        assertThat(page3.get("meta").get("previous_page_url").isNull()).isFalse();
    }

    @Test
    void walkingBackRepeatsForwardPages() {
        JsonNode page3 = follow(follow(follow(local.get("/v1/Configs?PageSize=2").json(),
                "next_page_url"), "next_page_url"), "next_page_url");

        JsonNode back2 = follow(page3, "previous_page_url");
        JsonNode back1 = follow(back2, "previous_page_url");
        JsonNode back0 = follow(back1, "previous_page_url");

        assertThat(keys(back2)).containsExactly("e", "f");
        assertThat(back2.get("meta").get("page").asInt()).isEqualTo(2);
        assertThat(keys(back1)).containsExactly("c", "d");
        assertThat(back1.get("meta").get("page").asInt()).isEqualTo(1);
        assertThat(keys(back0)).containsExactly("a", "b");
        assertThat(back0.get("meta").get("page").asInt()).isEqualTo(0);
        assertThat(back0.get("meta").get("previous_page_url").isNull()).isTrue();
    }

    @Test
    void pageReachedBackwardLinksForward() {
        JsonNode page3 = follow(follow(follow(local.get("/v1/Configs?PageSize=2").json(),
                "next_page_url"), "next_page_url"), "next_page_url");
        JsonNode back2 = follow(page3, "previous_page_url");

        JsonNode forward3 = follow(back2, "next_page_url");

        assertThat(keys(forward3)).containsExactly("g");
        assertThat(forward3.get("meta").get("page").asInt()).isEqualTo(3);
        assertThat(forward3.get("meta").get("next_page_url").isNull()).isTrue();
    }

    @Test
    void backwardPageWithoutLaterKeysHasNoNext() {
        JsonNode page3 = follow(follow(follow(local.get("/v1/Configs?PageSize=2").json(),
                "next_page_url"), "next_page_url"), "next_page_url");
        JsonNode back2 = follow(page3, "previous_page_url");
        local.delete("/v1/Configs/g");

        JsonNode again = local.get(back2.get("meta").get("url").asText()).json();

        assertThat(keys(again)).containsExactly("e", "f");
        assertThat(again.get("meta").get("next_page_url").isNull()).isTrue();
    }

    @Test
    void devicesLinkBackToo() {
        for (int i = 0; i < 5; i++) {
            local.cloud.registerDevice(local.account.sid(), "rig-" + i);
        }
        JsonNode page2 = follow(follow(local.get("/v1/Devices?PageSize=2").json(), "next_page_url"), "next_page_url");

        JsonNode back1 = follow(page2, "previous_page_url");

        JsonNode page1 = follow(local.get("/v1/Devices?PageSize=2").json(), "next_page_url");
        assertThat(back1.get("devices").findValuesAsText("sid")).isEqualTo(page1.get("devices").findValuesAsText("sid"));
    }

    @Test
    void previousTokenWithFlippedDirectionIs400() {
        JsonNode page3 = follow(follow(follow(local.get("/v1/Configs?PageSize=2").json(),
                "next_page_url"), "next_page_url"), "next_page_url");
        String previous = page3.get("meta").get("previous_page_url").asText();
        String token = previous.substring(previous.indexOf("PageToken=") + "PageToken=".length());
        byte[] bytes = Base64.getUrlDecoder().decode(token);
        bytes[Integer.BYTES] ^= 1;
        String flipped = previous.replace(token, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));

        LocalCloud.Reply reply = local.get(flipped);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("code").asInt()).isEqualTo(20001);
    }

    private JsonNode follow(JsonNode page, String link) {
        LocalCloud.Reply reply = local.get(page.get("meta").get(link).asText());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private static List<String> keys(JsonNode page) {
        List<String> keys = new ArrayList<>();
        page.get("configs").forEach(config -> keys.add(config.get("key").asText()));
        return keys;
    }
}
