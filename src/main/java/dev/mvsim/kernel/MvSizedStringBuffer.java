package dev.mvsim.kernel;

/**
 * The C {@code struct MvSizedStringBuffer}: where {@code mvReadConfigResponseItem} writes a value.
 * The kernel checks {@code data} (address and size) by the app's rules and writes the value's
 * bytes into {@code target} from index 0; a front end then copies them into app memory.
 *
 * @param data   the app's buffer, address 0 for NULL; its size is the C {@code size} field
 * @param target the bytes the kernel writes into, at least {@code data.size} long
 * @param length the C {@code length} pointer, or null for NULL
 */
public record MvSizedStringBuffer(AppBuffer data, byte[] target, Out.U32 length) {

    /** Returns a buffer for pure-Java callers that writes into {@code target} at a made-up address. */
    public static MvSizedStringBuffer of(byte[] target, Out.U32 length) {
        return new MvSizedStringBuffer(new AppBuffer(JAVA_ADDRESS, target.length), target, length);
    }

    /** The address given to buffers that exist only on the Java side; they take part in no overlap check. */
    static final long JAVA_ADDRESS = 0x7fff_0000_0000L;
}
