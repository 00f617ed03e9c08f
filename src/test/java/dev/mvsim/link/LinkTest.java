package dev.mvsim.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkTest {

    private static final String DEVICE = "UV0123456789abcdef0123456789abcdef";

    @Test
    void serverErrorKeysSkipDirectory() {
        InMemoryItemDirectory directory = new InMemoryItemDirectory()
                .putAccountItem(ItemStore.CONFIG, "host", "example.com")
                .putAccountItem(ItemStore.SECRET, "password", "hunter2");
        Link link = new Link(directory, FaultPlan.builder().serverErrorFor("password").build());

        List<ItemLookup> results = link.fetch(DEVICE, List.of(
                new ItemRef(ItemScope.ACCOUNT, ItemStore.SECRET, "password"),
                new ItemRef(ItemScope.ACCOUNT, ItemStore.CONFIG, "host")));

        assertThat(results.get(0)).isInstanceOf(ItemLookup.ServerError.class);
        assertThat(results.get(1)).isEqualTo(new ItemLookup.Found("example.com".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void throwingDirectoryGivesServerErrors() {
        Link link = new Link((device, items) -> {
            throw new IllegalStateException("store offline");
        }, FaultPlan.none());

        List<ItemLookup> results = link.fetch(DEVICE, List.of(new ItemRef(ItemScope.DEVICE, ItemStore.CONFIG, "a")));

        assertThat(results).singleElement().isInstanceOf(ItemLookup.ServerError.class);
    }

    @Test
    void shortDirectoryAnswerGivesServerErrors() {
        Link link = new Link((device, items) -> List.of(), FaultPlan.none());

        List<ItemLookup> results = link.fetch(DEVICE, List.of(new ItemRef(ItemScope.DEVICE, ItemStore.CONFIG, "a")));

        assertThat(results).singleElement().isInstanceOf(ItemLookup.ServerError.class);
    }
}
