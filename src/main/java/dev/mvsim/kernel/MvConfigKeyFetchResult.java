package dev.mvsim.kernel;

/** Outcome for one key of a config fetch, as {@code mvReadConfigResponseItem} reports it. */
public enum MvConfigKeyFetchResult {
    OK(0),
    KEYNOTFOUND(1),
    SERVERERROR(2);

    private final int code;

    MvConfigKeyFetchResult(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
