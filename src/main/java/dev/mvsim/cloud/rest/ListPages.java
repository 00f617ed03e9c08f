package dev.mvsim.cloud.rest;

import dev.mvsim.cloud.CloudException;
import dev.mvsim.cloud.rest.PageTokens.Direction;
import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Resolves a list request's page position, reads that page from a {@link Source} and builds the
 * links of its {@code meta} block. As in Twilio's APIs, every page after the first links back to
 * the page before it. Page 1 links to the first page's URL. Later pages link through a token that
 * opens the keys at or before the last key of that earlier page.
 */
final class ListPages {

    /** Start of a requested page: its number, and the side of the bound key it lies on (null key for page 0). */
    record Start(PageRequest request, int page, Direction direction, String boundKey) {}

    /**
     * The reads behind a list. {@code after} returns up to a number of records after a key (null:
     * from the start) in ascending order, and {@code upTo} those at or before a key, nearest
     * first. {@code keyOf} returns the key a record is ordered by.
     */
    record Source<T>(BiFunction<String, Integer, List<T>> after, BiFunction<String, Integer, List<T>> upTo,
            Function<T, String> keyOf) {}

    /** One page of records, in ascending order, with its links. */
    record Page<T>(List<T> records, PageLinks links) {}

    private final PublicUrls urls;
    private final PageTokens tokens;

    ListPages(PublicUrls urls, PageTokens tokens) {
        this.urls = urls;
        this.tokens = tokens;
    }

    Start start(HttpServerExchange exchange, String accountSid, String listPath) {
        Map<String, String> query = FormFields.parse(exchange.getQueryString(), "query string");
        PageRequest request = PageRequest.parse(query);
        if (request.pageToken() == null) {
            return new Start(request, 0, Direction.AFTER, null);
        }

        PageTokens.Position position = tokens.verify(accountSid, listPath, request.pageToken());
        if (request.page() != null && request.page() != position.page()) {
            throw new CloudException.InvalidParameter("Page", "Page is " + request.page()
                    + " but PageToken opens page " + position.page() + "; follow next_page_url as given");
        }
        return new Start(request, position.page(), position.direction(), position.key());
    }

    /** Reads the page that {@code start} names and builds its links. */
    <T> Page<T> read(String accountSid, String listPath, String listKey, Start start, Source<T> source) {
        int pageSize = start.request().pageSize();
        String first = pageUrl(listPath, pageSize, 0, null);
        String current = pageUrl(listPath, pageSize, start.page(), start.request().pageToken());

        List<T> records;
        String previous;
        String next;
        if (start.direction() == Direction.UP_TO) {
            // Nearest first: the record past the page size, if any, is the last of the page before.
            List<T> found = source.upTo().apply(start.boundKey(), pageSize + 1);
            boolean earlier = found.size() > pageSize;
            records = new ArrayList<>(found.subList(0, Math.min(pageSize, found.size())));
            Collections.reverse(records);

            previous = start.page() == 1 || !earlier
                    ? first
                    : link(accountSid, listPath, pageSize, start.page() - 1, Direction.UP_TO,
                            source.keyOf().apply(found.get(pageSize)));
            String last = records.isEmpty() ? start.boundKey() : source.keyOf().apply(records.get(records.size() - 1));
            boolean later = !source.after().apply(last, 1).isEmpty();
            next = later ? link(accountSid, listPath, pageSize, start.page() + 1, Direction.AFTER, last) : null;
        } else {
            List<T> found = source.after().apply(start.boundKey(), pageSize + 1);
            boolean later = found.size() > pageSize;
            records = later ? found.subList(0, pageSize) : found;

            if (start.page() == 0) {
                previous = null;
            } else if (start.page() == 1) {
                previous = first;
            } else {
                previous = link(accountSid, listPath, pageSize, start.page() - 1, Direction.UP_TO, start.boundKey());
            }
            next = later
                    ? link(accountSid, listPath, pageSize, start.page() + 1, Direction.AFTER,
                            source.keyOf().apply(records.get(pageSize - 1)))
                    : null;
        }
        return new Page<>(records, new PageLinks(start.page(), pageSize, first, previous, current, next, listKey));
    }

    private String link(String accountSid, String listPath, int pageSize, int page, Direction direction, String key) {
        return pageUrl(listPath, pageSize, page, tokens.issue(accountSid, listPath, page, direction, key));
    }

    private String pageUrl(String listPath, int pageSize, int page, String token) {
        String url = urls.absolute(listPath) + "?PageSize=" + pageSize + "&Page=" + page;
        return token == null ? url : url + "&PageToken=" + token;
    }
}
