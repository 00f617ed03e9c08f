package dev.mvsim.jna;

import static dev.mvsim.jna.AppCalls.SYSCALLS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.bridge.ClockChoice;
import dev.mvsim.bridge.KernelSessions;
import dev.mvsim.cloud.RegisteredDevice;
import dev.mvsim.kernel.MvEventType;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.link.FaultPlan;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * libmvhost over a real bridge server, through a relay that breaks the connection after the
 * kernel ran a call and before its reply arrives. After the reconnect the kernel and the app must
 * agree on what that call did, and no local reply may diverge from the kernel's.
 */
@Timeout(60)
class ResumeOverBridgeTest {

    private static final int CHANNELDATAREADABLE = MvEventType.CHANNELDATAREADABLE.code();

    private final AppCalls app = new AppCalls();

    @Test
    void lostOpenLeavesBuffersFree() throws Exception {
        // On the wall clock libmvhost never replies to mvOpenChannel itself, so the open reaches the kernel.
        try (RelayedBridge bridge = connectedBridge(ClockChoice.WALL)) {

            // The kernel opens the channel; the reply never arrives, so the app gets the offline reply.
            bridge.relay.breakAtNextReply();
            assertThat(app.openChannel()).isEqualTo(MvStatus.NETWORKNOTCONNECTED.code());
            assertThat(bridge.relay.broke()).isTrue();

            bridge.awaitConnected();
            assertThat(app.openChannel()).as("the kernel closed the channel the app never got")
                    .isEqualTo(MvStatus.OKAY.code());
            assertThat(SYSCALLS.mvCloseChannel(app.channel)).isEqualTo(MvStatus.OKAY.code());
            assertThat(bridge.sessions.divergences()).isZero();
        }
    }

    @Test
    void openKeptOverLossRunsBeforeIt() throws Exception {
        try (RelayedBridge bridge = connectedBridge(ClockChoice.VIRTUAL)) {

            // Answered by libmvhost; its REPORT travels with the fetch, which never reaches the server.
            assertThat(app.openChannel()).isEqualTo(MvStatus.OKAY.code());
            bridge.relay.breakAtNextRequest();
            assertThat(app.sendFetch("api-key")).isNotEqualTo(MvStatus.OKAY.code());
            assertThat(bridge.relay.broke()).isTrue();
            assertThat(SYSCALLS.mvCloseChannel(app.channel)).isEqualTo(MvStatus.OKAY.code());

            // The kept open must meet the network as the app saw it, connected, and the close must free its buffers.
            bridge.awaitConnected();
            assertThat(app.openChannel()).isEqualTo(MvStatus.OKAY.code());
            assertThat(SYSCALLS.mvCloseChannel(app.channel)).isEqualTo(MvStatus.OKAY.code());
            bridge.awaitConnected();
            assertThat(bridge.sessions.divergences()).isZero();
        }
    }

    @Test
    void pushLostUnreadArrivesOnce() throws Exception {
        try (RelayedBridge bridge = connectedBridge(ClockChoice.WALL)) {
            assertThat(app.openChannel()).isEqualTo(MvStatus.OKAY.code());

            // The fetch's response comes after the link's latency, in a push that the relay swallows.
            assertThat(app.sendFetch("api-key")).isEqualTo(MvStatus.OKAY.code());
            bridge.relay.breakAtNextReply();
            for (int wait = 0; wait < 5_000 && !bridge.relay.broke(); wait++) {
                // A wall-clock wait reads pushes from the socket without an exchange, as HAL_Delay does.
                LibMvHost.mvhost_clock_wait_us(1_000, 1_000);
            }
            assertThat(bridge.relay.broke()).isTrue();

            bridge.awaitConnected();
            int[] events = app.ringEventTypes();
            assertThat(Arrays.stream(events).filter(event -> event == CHANNELDATAREADABLE).count())
                    .as("CHANNELDATAREADABLE records in the ring %s", Arrays.toString(events)).isEqualTo(1);
            int written = (int) Arrays.stream(events).filter(event -> event != 0).count();
            assertThat(Arrays.copyOf(events, written)).as("no empty slot before a record").doesNotContain(0);
            assertThat(bridge.sessions.divergences()).isZero();
        }
    }

    /** Starts a bridge on {@code clock} and connects libmvhost through its relay, retrying at once after a loss. */
    private RelayedBridge connectedBridge(ClockChoice clock) throws Exception {
        RelayedBridge bridge = new RelayedBridge(app, items -> new KernelSessions(items, clock, FaultPlan.none()));
        RegisteredDevice device = bridge.cloud.registerDevice(bridge.cloud.createAccount().sid(), "resuming");
        bridge.connectWithNetwork(device, "?reconnect_ms=0");
        return bridge;
    }
}
