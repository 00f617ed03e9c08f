package dev.mvsim.cli;

import dev.mvsim.link.DownWindow;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.LatencyModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The link timing that serve's options give every bridge device's kernel: the connect delay, the
 * fetch latency and the down windows. A null delay or latency keeps the fault plan's default.
 */
record LinkTiming(Duration connectDelay, LatencyModel latency, List<DownWindow> downWindows) {

    /** Names of the options, for the message that rejects them without a bridge. */
    static final String OPTION_NAMES = "--bridge-connect-delay, --bridge-latency and --bridge-link-down";

    LinkTiming {
        downWindows = downWindows == null ? List.of() : List.copyOf(downWindows);
    }

    /** Returns whether any of the options was given. */
    boolean anyGiven() {
        return connectDelay != null || latency != null || !downWindows.isEmpty();
    }

    /** Returns the fault plan of every bridge device's kernel: the defaults with the given options applied. */
    FaultPlan faultPlan() {
        FaultPlan.Builder plan = FaultPlan.builder();
        if (connectDelay != null) {
            plan.connectDelay(connectDelay);
        }
        if (latency != null) {
            plan.latency(latency);
        }
        for (DownWindow window : downWindows) {
            plan.downBetween(window.from(), window.until());
        }
        return plan.build();
    }

    /** Describes the timing of {@code plan} in the options' own notation, for the start-up log. */
    static String describe(FaultPlan plan) {
        StringBuilder text = new StringBuilder("connect delay ").append(DurationText.format(plan.connectDelay()))
                .append(", fetch latency ").append(LatencyOption.format(plan.latency()));
        List<String> windows = new ArrayList<>();
        for (DownWindow window : plan.downWindows()) {
            windows.add(LinkDownOption.format(window));
        }
        text.append(", link down ").append(windows.isEmpty() ? "never" : String.join(", ", windows));
        return text.toString();
    }
}
