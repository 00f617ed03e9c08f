package dev.mvsim.cloud.rest;

/** The {@code meta} block of one list page. Null URLs are written as JSON null. */
record PageLinks(
        int page, int pageSize, String firstPageUrl, String previousPageUrl,
        String url, String nextPageUrl, String key) {}
