package dev.mvsim.jna;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.IntSupplier;

/** Checks of how libmvhost handled one syscall: answered by itself, or in one exchange with the kernel. */
final class ExchangeCounts {

    private ExchangeCounts() {
    }

    /** Runs a call that libmvhost must answer itself: asserts no exchange and one local answer, returns its status. */
    static int answeredLocally(InProcessHost host, IntSupplier call) {
        LibMvHost.mvhost_stats before = host.stats();
        int status = call.getAsInt();
        LibMvHost.mvhost_stats after = host.stats();

        assertThat(after.exchanges).as("exchanges").isEqualTo(before.exchanges);
        assertThat(after.local_answers - before.local_answers).as("local answers").isEqualTo(1);
        return status;
    }

    /** Runs a call that must reach the kernel: asserts one exchange and no local answer, returns its status. */
    static int exchangedOnce(InProcessHost host, IntSupplier call) {
        LibMvHost.mvhost_stats before = host.stats();
        int status = call.getAsInt();
        LibMvHost.mvhost_stats after = host.stats();

        assertThat(after.exchanges - before.exchanges).as("exchanges").isEqualTo(1);
        assertThat(after.local_answers).as("local answers").isEqualTo(before.local_answers);
        return status;
    }
}
