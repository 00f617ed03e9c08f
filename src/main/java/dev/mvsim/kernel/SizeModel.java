package dev.mvsim.kernel;

/**
 * How many bytes mvsim's encoding of a config fetch takes in the channel's buffers. The vendor
 * does not publish its encoding; these sizes let firmware developers predict INVALIDBUFFERSIZE at
 * send time and RESPONSETOOLARGE at arrival.
 *
 * <ul>
 *   <li>request: 8 bytes of header, then per key 4 bytes (scope, store, key length) plus the key's bytes;</li>
 *   <li>response: 8 bytes of header (result, item count), then per item 8 bytes (result, value
 *       length) plus the value's bytes, which are present only for items found.</li>
 * </ul>
 */
public final class SizeModel {

    public static final int REQUEST_HEADER_BYTES = 8;
    public static final int REQUEST_KEY_OVERHEAD_BYTES = 4;
    public static final int RESPONSE_HEADER_BYTES = 8;
    public static final int RESPONSE_ITEM_OVERHEAD_BYTES = 8;

    private SizeModel() {
    }

    /** Returns the encoded size of a request whose keys have the given lengths in bytes. */
    public static long requestBytes(int... keyLengths) {
        long total = REQUEST_HEADER_BYTES;
        for (int length : keyLengths) {
            total += REQUEST_KEY_OVERHEAD_BYTES + (long) length;
        }
        return total;
    }

    /** Returns the encoded size of a response whose items carry values of the given lengths (0 for items not found). */
    public static long responseBytes(int... valueLengths) {
        long total = RESPONSE_HEADER_BYTES;
        for (int length : valueLengths) {
            total += RESPONSE_ITEM_OVERHEAD_BYTES + (long) length;
        }
        return total;
    }
}
