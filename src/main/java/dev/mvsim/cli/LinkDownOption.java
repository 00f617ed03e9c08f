package dev.mvsim.cli;

import dev.mvsim.link.DownWindow;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converts a value of {@code serve --bridge-link-down}: {@code START+LENGTH}, two durations, for a
 * window that starts at START on the device's clock and keeps the cloud unreachable for LENGTH. A
 * length of 0 drops the connection once, and the device connects again after the connect delay.
 */
final class LinkDownOption implements ITypeConverter<DownWindow> {

    private static final String EXPECTED = "Expected START+LENGTH, two numbers with a unit (" + DurationText.UNITS
            + "), such as 5s+2s for down at 5 s of device time for 2 s";

    @Override
    public DownWindow convert(String value) {
        int plus = value.indexOf('+');
        if (plus < 0) {
            throw new TypeConversionException("invalid down window '" + value + "': it has no '+' between the start "
                    + "and the length. " + EXPECTED);
        }

        Duration start = parse(value.substring(0, plus), "start", value);
        Duration length = parse(value.substring(plus + 1), "length", value);
        return new DownWindow(start, start.plus(length));
    }

    private static Duration parse(String text, String part, String value) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException invalid) {
            throw new TypeConversionException("invalid " + part + " of the down window '" + value + "': "
                    + invalid.getMessage() + ". " + EXPECTED);
        }
    }

    /** Returns {@code window} as the option spells it. */
    static String format(DownWindow window) {
        return DurationText.format(window.from()) + "+" + DurationText.format(window.until().minus(window.from()));
    }
}
