package dev.mvsim.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations of serve's link options: a decimal number followed by a unit, such as
 * {@code 200ms}, {@code 1.5s} or {@code 250us}. A bare {@code 0} needs no unit.
 */
final class DurationText {

    /** The units a duration may have, as help and error messages list them. */
    static final String UNITS = "us, ms, s or min";

    /** Examples for error messages. */
    static final String EXAMPLES = "200ms, 1.5s or 250us";

    /**
     * Largest duration accepted: 10^9 s, about 31 years. Twice this, the latest end of a down
     * window, still fits the kernel's signed 64-bit microsecond clock.
     */
    static final Duration MAX = Duration.ofSeconds(1_000_000_000L);

    private static final Pattern SHAPE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([a-zµ]*)");

    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "us", 1_000L,
            "µs", 1_000L,
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "min", 60_000_000_000L);

    private DurationText() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a message that quotes the text and says what is wrong
     *     with it, but neither the expected form nor an example, which the caller adds
     */
    static Duration parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the duration is empty");
        }
        if (text.startsWith("-")) {
            throw new IllegalArgumentException("'" + text + "' is negative");
        }
        Matcher matcher = SHAPE.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a number followed by a unit");
        }

        BigDecimal number = new BigDecimal(matcher.group(1));
        String unit = matcher.group(2);
        if (unit.isEmpty()) {
            if (number.signum() == 0) {
                return Duration.ZERO;
            }
            throw new IllegalArgumentException("'" + text + "' has no unit");
        }
        Long nanosPerUnit = NANOS_PER_UNIT.get(unit);
        if (nanosPerUnit == null) {
            throw new IllegalArgumentException("'" + text + "' has the unknown unit '" + unit + "'");
        }

        BigDecimal nanos = number.multiply(BigDecimal.valueOf(nanosPerUnit));
        if (nanos.compareTo(BigDecimal.valueOf(MAX.toNanos())) > 0) {
            throw new IllegalArgumentException("'" + text + "' is longer than the maximum of "
                    + MAX.toSeconds() + "s (about 31 years)");
        }
        // The kernel's clock counts whole microseconds, so a finer part would be dropped silently.
        BigDecimal micros = nanos.movePointLeft(3);
        if (micros.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("'" + text + "' is finer than 1 us, the resolution of the device clock");
        }
        return Duration.ofNanos(nanos.longValueExact());
    }

    /** Formats {@code duration} in the largest unit that shows it exactly, such as {@code 200ms} or {@code 1500us}. */
    static String format(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        if (nanos % 60_000_000_000L == 0) {
            return nanos / 60_000_000_000L + "min";
        }
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        return nanos / 1_000L + "us";
    }
}
