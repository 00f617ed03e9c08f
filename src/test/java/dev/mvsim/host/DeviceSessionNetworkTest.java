package dev.mvsim.host;

import static dev.mvsim.host.SessionFixture.decodeAll;
import static dev.mvsim.host.SessionFixture.handleOutput;
import static dev.mvsim.host.SessionFixture.response;
import static dev.mvsim.host.SessionFixture.states;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvNetworkStatus;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.Out;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.Opcode;
import dev.mvsim.wire.StateOpcode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** NETWORK state frames: sent when a live request's status differs from the last one sent, and only then. */
class DeviceSessionNetworkTest {

    /** Past the default connect delay of 200 ms. */
    private static final long CONNECT_MICROS = 5_000_000;

    @RegisterExtension
    final SessionFixture fixture = new SessionFixture(1_000);
    private final DeviceKernel kernel = fixture.kernel;
    private final DeviceSession session = fixture.session;

    @Test
    void stateLeadsRequestResponse() {
        long centre = fixture.setUpNotifications();

        List<Frame> reply = fixture.requestNetwork(centre);
        long network = handleOutput(response(reply));

        assertThat(networkStates(reply)).containsExactly(networkState(network, MvNetworkStatus.CONNECTING));
        assertThat(reply.indexOf(networkStates(reply).get(0))).as("state ahead of the notification")
                .isLessThan(indexOfFirstNotification(reply));
    }

    @Test
    void unchangedStatusSendsNoState() {
        fixture.requestNetwork(fixture.setUpNotifications());

        List<Frame> reply = fixture.exchange(fixture.request(Opcode.MV_GET_MICROSECONDS, Field.Pointer.at(0x1000)));

        assertThat(networkStates(reply)).isEmpty();
    }

    @Test
    void statusChangeIsPushed() {
        List<byte[]> pushed = new ArrayList<>();
        session.setNotificationSink(pushed::add);
        List<Frame> reply = fixture.requestNetwork(fixture.setUpNotifications());
        long network = handleOutput(response(reply));

        kernel.advanceMicros(CONNECT_MICROS);
        List<Frame> frames = decodeAll(pushed);

        assertThat(networkStates(frames)).containsExactly(networkState(network, MvNetworkStatus.CONNECTED));
    }

    @Test
    void releasedRequestGetsNoState() {
        List<Frame> reply = fixture.requestNetwork(fixture.setUpNotifications());
        long network = handleOutput(response(reply));
        assertThat(kernel.mvReleaseNetwork(new Out.Handle(network))).isEqualTo(MvStatus.OKAY);

        List<Frame> next = fixture.exchange(fixture.request(Opcode.MV_GET_MICROSECONDS, Field.Pointer.at(0x1000)));

        assertThat(networkStates(next)).isEmpty();
        assertThat(kernel.networkRequestStatuses()).isEmpty();
    }

    @Test
    void resendClockResendsStates() {
        List<Frame> reply = fixture.requestNetwork(fixture.setUpNotifications());
        long network = handleOutput(response(reply));

        session.resendClock();
        List<Frame> next = fixture.exchange(fixture.request(Opcode.MV_GET_MICROSECONDS, Field.Pointer.at(0x1000)));

        assertThat(networkStates(next)).containsExactly(networkState(network, MvNetworkStatus.CONNECTING));
    }

    @Test
    void statusReadRecordsNoTrace() {
        fixture.requestNetwork(fixture.setUpNotifications());
        int traced = kernel.trace().size();

        kernel.networkRequestStatuses();
        kernel.networkRevision();

        assertThat(kernel.trace()).hasSize(traced);
    }

    private static Frame.State networkState(long network, MvNetworkStatus status) {
        return new Frame.State(0, StateOpcode.NETWORK, List.of(new Field.U64(network), new Field.U32(status.code())));
    }

    /** Returns the NETWORK states in {@code frames}, with sequence 0 so they compare by content. */
    private static List<Frame.State> networkStates(List<Frame> frames) {
        List<Frame.State> states = new ArrayList<>();
        for (Frame.State state : states(frames, StateOpcode.NETWORK)) {
            states.add(new Frame.State(0, state.opcode(), state.fields()));
        }
        return states;
    }

    private static int indexOfFirstNotification(List<Frame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i) instanceof Frame.Notification) {
                return i;
            }
        }
        return frames.size();
    }
}
