package dev.mvsim.kernel;

/** The C {@code struct MvConfigResponseData}, filled by {@code mvReadConfigFetchResponseData}. */
public final class MvConfigResponseData {
    public MvConfigFetchResult result;
    /** Number of items in the response, in request order. */
    public int numItems;

    @Override
    public String toString() {
        return "MvConfigResponseData[result=" + result + ", numItems=" + Integer.toUnsignedString(numItems) + "]";
    }
}
