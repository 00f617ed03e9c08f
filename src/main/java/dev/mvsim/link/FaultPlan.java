package dev.mvsim.link;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The link's timing and the faults it injects, as a closed set of named effects:
 * <ul>
 *   <li>latency of each config fetch, fixed or uniform in a range;</li>
 *   <li>the delay from CONNECTING to CONNECTED;</li>
 *   <li>connection drops and down windows, at times on the device's clock;</li>
 *   <li>SERVERERROR for chosen keys;</li>
 *   <li>RESPONSETOOLARGE forced on every fetch or on chosen fetches.</li>
 * </ul>
 * Instances are immutable; build one with {@link #builder()} or read one from a scenario file
 * with {@link FaultPlanFiles}.
 */
public final class FaultPlan {

    /** Round-trip latency of a config fetch when none is set: 50 ms. */
    public static final Duration DEFAULT_LATENCY = Duration.ofMillis(50);
    /** Time from CONNECTING to CONNECTED when none is set: 200 ms. */
    public static final Duration DEFAULT_CONNECT_DELAY = Duration.ofMillis(200);

    private static final FaultPlan NONE = builder().build();

    private final LatencyModel latency;
    private final Duration connectDelay;
    private final List<DownWindow> downWindows;
    private final Set<String> serverErrorKeys;
    private final boolean responseTooLargeAlways;
    private final Set<Integer> responseTooLargeFetches;

    private FaultPlan(Builder builder) {
        this.latency = builder.latency;
        this.connectDelay = builder.connectDelay;
        this.downWindows = List.copyOf(builder.downWindows);
        this.serverErrorKeys = Set.copyOf(builder.serverErrorKeys);
        this.responseTooLargeAlways = builder.responseTooLargeAlways;
        this.responseTooLargeFetches = Set.copyOf(builder.responseTooLargeFetches);
    }

    /** Returns the plan with default timing and no faults. */
    public static FaultPlan none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder that starts from this plan. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.latency = latency;
        builder.connectDelay = connectDelay;
        builder.downWindows.addAll(downWindows);
        builder.serverErrorKeys.addAll(serverErrorKeys);
        builder.responseTooLargeAlways = responseTooLargeAlways;
        builder.responseTooLargeFetches.addAll(responseTooLargeFetches);
        return builder;
    }

    public LatencyModel latency() {
        return latency;
    }

    public Duration connectDelay() {
        return connectDelay;
    }

    /** Returns the down windows in the order they were added. */
    public List<DownWindow> downWindows() {
        return downWindows;
    }

    public Set<String> serverErrorKeys() {
        return serverErrorKeys;
    }

    /** Returns true when the fetch with this 1-based ordinal, counted per device, gets RESPONSETOOLARGE. */
    public boolean forcesResponseTooLarge(int fetchOrdinal) {
        return responseTooLargeAlways || responseTooLargeFetches.contains(fetchOrdinal);
    }

    /** Returns true when the link is down at the given time on the device's clock. */
    public boolean isDownAt(long micros) {
        for (DownWindow window : downWindows) {
            if (window.covers(micros)) {
                return true;
            }
        }
        return false;
    }

    /** Returns the end of the down window covering {@code micros}, or {@code micros} when none does. */
    public long upAgainAt(long micros) {
        long at = micros;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (DownWindow window : downWindows) {
                if (window.covers(at)) {
                    at = window.untilMicros();
                    moved = true;
                }
            }
        }
        return at;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("FaultPlan[latency=").append(latency)
                .append(", connectDelay=").append(connectDelay);
        if (!downWindows.isEmpty()) {
            text.append(", downWindows=").append(downWindows);
        }
        if (!serverErrorKeys.isEmpty()) {
            text.append(", serverErrorKeys=").append(new TreeSet<>(serverErrorKeys));
        }
        if (responseTooLargeAlways) {
            text.append(", responseTooLarge=all");
        } else if (!responseTooLargeFetches.isEmpty()) {
            text.append(", responseTooLargeFetches=").append(new TreeSet<>(responseTooLargeFetches));
        }
        return text.append(']').toString();
    }

    /** Collects the effects of a plan. Each setter replaces or adds one effect. */
    public static final class Builder {
        private LatencyModel latency = new LatencyModel.Fixed(DEFAULT_LATENCY);
        private Duration connectDelay = DEFAULT_CONNECT_DELAY;
        private final List<DownWindow> downWindows = new ArrayList<>();
        private final Set<String> serverErrorKeys = new LinkedHashSet<>();
        private boolean responseTooLargeAlways;
        private final Set<Integer> responseTooLargeFetches = new LinkedHashSet<>();

        private Builder() {
        }

        /** Sets a fixed round-trip latency for every config fetch. */
        public Builder latency(Duration latency) {
            this.latency = new LatencyModel.Fixed(latency);
            return this;
        }

        /** Draws each fetch's latency uniformly from {@code [min, max]} with the kernel's seeded generator. */
        public Builder latencyBetween(Duration min, Duration max) {
            this.latency = new LatencyModel.Uniform(min, max);
            return this;
        }

        public Builder latency(LatencyModel latency) {
            this.latency = Objects.requireNonNull(latency, "latency");
            return this;
        }

        /** Sets the time from CONNECTING to CONNECTED. */
        public Builder connectDelay(Duration delay) {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("connect delay must not be negative, got " + delay);
            }
            this.connectDelay = delay;
            return this;
        }

        /** Drops the connection at the given time after boot; the device reconnects after the connect delay. */
        public Builder dropConnectionAt(Duration at) {
            downWindows.add(new DownWindow(at, at));
            return this;
        }

        /** Keeps the cloud unreachable in {@code [from, until)} after boot. */
        public Builder downBetween(Duration from, Duration until) {
            downWindows.add(new DownWindow(from, until));
            return this;
        }

        /** Makes every fetch of this key, in any scope and store, come back as SERVERERROR. */
        public Builder serverErrorFor(String key) {
            serverErrorKeys.add(Objects.requireNonNull(key, "key"));
            return this;
        }

        /** Makes every config fetch come back as RESPONSETOOLARGE. */
        public Builder responseTooLarge() {
            responseTooLargeAlways = true;
            return this;
        }

        /** Makes the fetch with this 1-based ordinal, counted per device, come back as RESPONSETOOLARGE. */
        public Builder responseTooLargeOnFetch(int ordinal) {
            if (ordinal < 1) {
                throw new IllegalArgumentException("fetch ordinal starts at 1, got " + ordinal);
            }
            responseTooLargeFetches.add(ordinal);
            return this;
        }

        public FaultPlan build() {
            return new FaultPlan(this);
        }
    }
}
