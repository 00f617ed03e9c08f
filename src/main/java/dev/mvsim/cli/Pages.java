package dev.mvsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads every page of a list by following {@code meta.next_page_url}. */
final class Pages {

    /** Page size requested, the API's maximum, so that most lists take one request. */
    static final int PAGE_SIZE = 1000;

    private Pages() {
    }

    static List<JsonNode> readAll(RestClient client, String collectionPath, String listKey) {
        List<JsonNode> items = new ArrayList<>();
        Set<String> visited = new HashSet<>();
        JsonNode page = client.get(collectionPath + "?PageSize=" + PAGE_SIZE);

        while (true) {
            page.path(listKey).forEach(items::add);
            JsonNode next = page.path("meta").path("next_page_url");
            if (next.isMissingNode() || next.isNull() || next.asText().isEmpty()) {
                return items;
            }
            // A server that repeats a page URL would otherwise keep this loop going forever.
            if (!visited.add(next.asText())) {
                throw new CliException(ExitCode.REJECTED, "The server returned the page " + next.asText()
                        + " twice while listing " + listKey + "; stopping to avoid an endless loop.");
            }
            page = client.get(URI.create(next.asText()));
        }
    }
}
