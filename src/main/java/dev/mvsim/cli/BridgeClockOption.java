package dev.mvsim.cli;

import dev.mvsim.bridge.ClockChoice;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converts the value of {@code --bridge-clock}. It accepts {@code virtual} and {@code wall} in any
 * case. {@link ClockChoice#SERVER_DEFAULT} is the handshake's "no choice" code, not a clock a
 * server can run on, so it is rejected like any other value.
 */
final class BridgeClockOption implements ITypeConverter<ClockChoice> {

    /** The values {@code --bridge-clock} accepts, as its help and error messages list them. */
    static final String ALLOWED = "virtual, wall";

    @Override
    public ClockChoice convert(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "virtual" -> ClockChoice.VIRTUAL;
            case "wall" -> ClockChoice.WALL;
            default -> throw new TypeConversionException(
                    "invalid clock '" + value + "': expected one of " + ALLOWED + " (in any case)");
        };
    }

    /** Returns the name of {@code clock} as the option and the start-up output spell it. */
    static String name(ClockChoice clock) {
        return clock.name().toLowerCase(Locale.ROOT);
    }
}
