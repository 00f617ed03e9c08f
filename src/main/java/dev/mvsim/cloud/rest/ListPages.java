package dev.mvsim.cloud.rest;

import dev.mvsim.cloud.CloudException;
import io.undertow.server.HttpServerExchange;
import java.util.Map;

/** Resolves a list request's page position and builds the links of its {@code meta} block. */
final class ListPages {

    /** Start of a requested page: its number and the key (or SID) it follows, null for page 0. */
    record Start(PageRequest request, int page, String afterKey) {}

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
            return new Start(request, 0, null);
        }

        PageTokens.Position position = tokens.verify(accountSid, listPath, request.pageToken());
        if (request.page() != null && request.page() != position.page()) {
            throw new CloudException.InvalidParameter("Page", "Page is " + request.page()
                    + " but PageToken opens page " + position.page() + "; follow next_page_url as given");
        }
        return new Start(request, position.page(), position.afterKey());
    }

    /**
     * Builds the links of a page. {@code lastKey} is the last key on this page when another page
     * follows, else null.
     */
    PageLinks links(String accountSid, String listPath, String listKey, Start start, String lastKey) {
        int pageSize = start.request().pageSize();
        String first = pageUrl(listPath, pageSize, 0, null);
        String current = pageUrl(listPath, pageSize, start.page(), start.request().pageToken());
        String next = lastKey == null
                ? null
                : pageUrl(listPath, pageSize, start.page() + 1, tokens.issue(accountSid, listPath, start.page() + 1, lastKey));

        // NOTE: tokens only lead forward, so only page 1 can link back (to the first page); from
        // page 2 on, previous_page_url is null.
        String previous = start.page() == 1 ? first : null;
        return new PageLinks(start.page(), pageSize, first, previous, current, next, listKey);
    }

    private String pageUrl(String listPath, int pageSize, int page, String token) {
        String url = urls.absolute(listPath) + "?PageSize=" + pageSize + "&Page=" + page;
        return token == null ? url : url + "&PageToken=" + token;
    }
}
