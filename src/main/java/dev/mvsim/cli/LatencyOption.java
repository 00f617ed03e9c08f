package dev.mvsim.cli;

import dev.mvsim.link.LatencyModel;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converts the value of {@code serve --bridge-latency}: one duration for a fixed latency, such as
 * {@code 50ms}, or {@code MIN..MAX} for a latency drawn uniformly from that range for each fetch,
 * such as {@code 20ms..200ms}.
 */
final class LatencyOption implements ITypeConverter<LatencyModel> {

    /** Separator of a range's two ends. */
    static final String RANGE = "..";

    private static final String EXPECTED = "Expected a duration such as 50ms, or a range MIN..MAX such as "
            + "20ms..200ms, each a number and a unit (" + DurationText.UNITS + ")";

    @Override
    public LatencyModel convert(String value) {
        int separator = value.indexOf(RANGE);
        if (separator < 0) {
            return new LatencyModel.Fixed(parse(value, "latency"));
        }

        Duration min = parse(value.substring(0, separator), "minimum latency");
        Duration max = parse(value.substring(separator + RANGE.length()), "maximum latency");
        if (max.compareTo(min) < 0) {
            throw new TypeConversionException("invalid latency range '" + value + "': the minimum "
                    + DurationText.format(min) + " is greater than the maximum " + DurationText.format(max) + ". "
                    + EXPECTED);
        }
        return new LatencyModel.Uniform(min, max);
    }

    private static Duration parse(String text, String what) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException invalid) {
            throw new TypeConversionException("invalid " + what + ": " + invalid.getMessage() + ". " + EXPECTED);
        }
    }

    /** Returns {@code latency} as the option spells it. */
    static String format(LatencyModel latency) {
        if (latency instanceof LatencyModel.Uniform range) {
            return DurationText.format(range.min()) + RANGE + DurationText.format(range.max());
        }
        return DurationText.format(((LatencyModel.Fixed) latency).latency());
    }
}
