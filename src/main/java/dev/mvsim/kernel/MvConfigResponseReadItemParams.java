package dev.mvsim.kernel;

/**
 * The C {@code struct MvConfigResponseReadItemParams}. The C struct is {@code const}, but three
 * of the things it points to are outputs: {@code result}, the bytes of {@code buf} and
 * {@code buf.length}.
 *
 * @param itemIndex the 0-based item index, unsigned 32-bit
 * @param result    the C {@code result} pointer, or null for NULL
 * @param buf       where the value goes
 */
public record MvConfigResponseReadItemParams(
        int itemIndex, Out.Value<MvConfigKeyFetchResult> result, MvSizedStringBuffer buf) {
}
