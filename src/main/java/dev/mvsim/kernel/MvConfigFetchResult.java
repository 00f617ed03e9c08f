package dev.mvsim.kernel;

/** Outcome of a whole config fetch, as {@code mvReadConfigFetchResponseData} reports it. */
public enum MvConfigFetchResult {
    OK(0),
    /** The encoded response is larger than the channel's receive buffer; the response has no items. */
    RESPONSETOOLARGE(1);

    private final int code;

    MvConfigFetchResult(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
