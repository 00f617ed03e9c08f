package dev.mvsim.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts the value of {@code serve --bridge-connect-delay}, a duration such as {@code 200ms}. */
final class DurationOption implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return DurationText.parse(value);
        } catch (IllegalArgumentException invalid) {
            throw new TypeConversionException("invalid duration: " + invalid.getMessage() + ". Expected a number "
                    + "and a unit (" + DurationText.UNITS + "), such as " + DurationText.EXAMPLES);
        }
    }
}
