package dev.mvsim.cloud.rest;

import dev.mvsim.cloud.CloudException;
import java.util.Map;

/**
 * The paging parameters of a list request: {@code PageSize} (1 to 1000, default 50),
 * {@code Page} (0 or more; client state that must agree with the token) and {@code PageToken}.
 */
record PageRequest(int pageSize, Integer page, String pageToken) {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 1000;

    static PageRequest parse(Map<String, String> query) {
        int pageSize = DEFAULT_PAGE_SIZE;
        String pageSizeText = query.get("PageSize");
        if (pageSizeText != null) {
            pageSize = parseInteger("PageSize", pageSizeText);
            if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
                throw new CloudException.InvalidParameter("PageSize", "PageSize is " + pageSize
                        + "; it must be an integer from 1 to " + MAX_PAGE_SIZE);
            }
        }

        Integer page = null;
        String pageText = query.get("Page");
        if (pageText != null) {
            page = parseInteger("Page", pageText);
            if (page < 0) {
                throw new CloudException.InvalidParameter("Page", "Page is " + page + "; it must be 0 or more");
            }
        }

        String token = query.get("PageToken");
        if (token != null && token.isEmpty()) {
            token = null;
        }
        if (token == null && page != null && page > 0) {
            throw new CloudException.InvalidParameter("Page", "Page is " + page
                    + " but PageToken is missing; follow next_page_url to reach later pages");
        }
        return new PageRequest(pageSize, page, token);
    }

    private static int parseInteger(String parameter, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            String shown = text.length() > 20 ? text.substring(0, 20) + "..." : text;
            throw new CloudException.InvalidParameter(parameter,
                    parameter + " '" + shown + "' is not an integer");
        }
    }
}
