package dev.mvsim.kernel;

/**
 * Limits and switches of one device kernel, for the choices the vendor documentation leaves open.
 *
 * @param maxConfigKeys          most keys in one config fetch; more gives TOOMANYCONFIGKEYS
 * @param maxLogMessageBytes     longest message {@code mvServerLog} and {@code mvTestLog} accept;
 *                               longer gives LOGMESSAGETOOLONG
 * @param applicationTestMode    whether the app runs as a factory application test, which enables
 *                               {@code mvTestLoggingInit}, {@code mvTestLog} and {@code mvTestingComplete}
 * @param loggingDisabledByServer whether {@code mvServerLog} returns LOGGINGDISABLEDBYSERVER
 * @param wallTimeAtBootMicros   the Unix time, in microseconds, that {@code mvGetWallTime} reports
 *                               for microsecond 0 of the device clock once time is set
 * @param traceCapacity          how many of the latest system calls the trace keeps
 */
public record KernelConfig(
        int maxConfigKeys,
        int maxLogMessageBytes,
        boolean applicationTestMode,
        boolean loggingDisabledByServer,
        long wallTimeAtBootMicros,
        int traceCapacity) {

    /** Default key limit: 16, twice the 8 keys the largest known firmware request uses. */
    public static final int DEFAULT_MAX_CONFIG_KEYS = 16;
    /** Default log message limit: 1024 bytes, the cap that vendor demos apply in app code. */
    public static final int DEFAULT_MAX_LOG_MESSAGE_BYTES = 1024;
    /** Default wall time at boot: 2026-01-01T00:00:00Z, fixed so that runs repeat. */
    public static final long DEFAULT_WALL_TIME_AT_BOOT_MICROS = 1_767_225_600_000_000L;
    public static final int DEFAULT_TRACE_CAPACITY = 1024;

    public static final KernelConfig DEFAULTS = new KernelConfig(
            DEFAULT_MAX_CONFIG_KEYS, DEFAULT_MAX_LOG_MESSAGE_BYTES, false, false,
            DEFAULT_WALL_TIME_AT_BOOT_MICROS, DEFAULT_TRACE_CAPACITY);

    public KernelConfig {
        if (maxConfigKeys < 1) {
            throw new IllegalArgumentException("maxConfigKeys must be at least 1, got " + maxConfigKeys);
        }
        if (maxLogMessageBytes < 1 || maxLogMessageBytes > 0xFFFF) {
            throw new IllegalArgumentException(
                    "maxLogMessageBytes must be in 1..65535 (the C length is 16-bit), got " + maxLogMessageBytes);
        }
        if (traceCapacity < 0) {
            throw new IllegalArgumentException("traceCapacity must not be negative, got " + traceCapacity);
        }
    }

    public KernelConfig withMaxConfigKeys(int value) {
        return new KernelConfig(value, maxLogMessageBytes, applicationTestMode, loggingDisabledByServer,
                wallTimeAtBootMicros, traceCapacity);
    }

    public KernelConfig withMaxLogMessageBytes(int value) {
        return new KernelConfig(maxConfigKeys, value, applicationTestMode, loggingDisabledByServer,
                wallTimeAtBootMicros, traceCapacity);
    }

    public KernelConfig withApplicationTestMode(boolean value) {
        return new KernelConfig(maxConfigKeys, maxLogMessageBytes, value, loggingDisabledByServer,
                wallTimeAtBootMicros, traceCapacity);
    }

    public KernelConfig withLoggingDisabledByServer(boolean value) {
        return new KernelConfig(maxConfigKeys, maxLogMessageBytes, applicationTestMode, value,
                wallTimeAtBootMicros, traceCapacity);
    }

    public KernelConfig withWallTimeAtBootMicros(long value) {
        return new KernelConfig(maxConfigKeys, maxLogMessageBytes, applicationTestMode, loggingDisabledByServer,
                value, traceCapacity);
    }

    public KernelConfig withTraceCapacity(int value) {
        return new KernelConfig(maxConfigKeys, maxLogMessageBytes, applicationTestMode, loggingDisabledByServer,
                wallTimeAtBootMicros, value);
    }
}
