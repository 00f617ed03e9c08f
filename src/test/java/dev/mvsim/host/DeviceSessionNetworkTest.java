package dev.mvsim.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvNetworkStatus;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.Out;
import dev.mvsim.kernel.VirtualClock;
import dev.mvsim.link.InMemoryItemDirectory;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.FrameFormatException;
import dev.mvsim.wire.Opcode;
import dev.mvsim.wire.StateOpcode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** NETWORK state frames: sent when a live request's status differs from the last one sent, and only then. */
class DeviceSessionNetworkTest {

    private static final String DEVICE_SID = "UV0123456789abcdef0123456789abcdef";
    /** Past the default connect delay of 200 ms. */
    private static final long CONNECT_MICROS = 5_000_000;

    private final DeviceKernel kernel = DeviceKernel.builder(DEVICE_SID, new InMemoryItemDirectory())
            .clock(new VirtualClock(1_000)).build();
    private final DeviceSession session = new DeviceSession(kernel);
    private int sequence;

    @AfterEach
    void closeSession() {
        session.close();
    }

    @Test
    void stateLeadsRequestResponse() throws Exception {
        long centre = setupCentre();

        List<Frame> reply = requestNetwork(centre);
        long network = ((Field.U64) ((Frame.Response) reply.get(reply.size() - 1)).outputs().get(0)).value();

        assertThat(networkStates(reply)).containsExactly(networkState(network, MvNetworkStatus.CONNECTING));
        assertThat(reply.indexOf(networkStates(reply).get(0))).as("state ahead of the notification")
                .isLessThan(indexOfFirstNotification(reply));
    }

    @Test
    void unchangedStatusSendsNoState() throws Exception {
        requestNetwork(setupCentre());

        List<Frame> reply = exchange(request(Opcode.MV_GET_MICROSECONDS, Field.Pointer.at(0x1000)));

        assertThat(networkStates(reply)).isEmpty();
    }

    @Test
    void statusChangeIsPushed() throws Exception {
        List<byte[]> pushed = new ArrayList<>();
        session.setNotificationSink(pushed::add);
        List<Frame> reply = requestNetwork(setupCentre());
        long network = ((Field.U64) ((Frame.Response) reply.get(reply.size() - 1)).outputs().get(0)).value();

        kernel.advanceMicros(CONNECT_MICROS);
        List<Frame> frames = new ArrayList<>();
        for (byte[] bytes : pushed) {
            frames.add(FrameCodec.decode(bytes));
        }

        assertThat(networkStates(frames)).containsExactly(networkState(network, MvNetworkStatus.CONNECTED));
    }

    @Test
    void releasedRequestGetsNoState() throws Exception {
        List<Frame> reply = requestNetwork(setupCentre());
        long network = ((Field.U64) ((Frame.Response) reply.get(reply.size() - 1)).outputs().get(0)).value();
        assertThat(kernel.mvReleaseNetwork(new Out.Handle(network))).isEqualTo(MvStatus.OKAY);

        List<Frame> next = exchange(request(Opcode.MV_GET_MICROSECONDS, Field.Pointer.at(0x1000)));

        assertThat(networkStates(next)).isEmpty();
        assertThat(kernel.networkRequestStatuses()).isEmpty();
    }

    @Test
    void resendClockResendsStates() throws Exception {
        List<Frame> reply = requestNetwork(setupCentre());
        long network = ((Field.U64) ((Frame.Response) reply.get(reply.size() - 1)).outputs().get(0)).value();

        session.resendClock();
        List<Frame> next = exchange(request(Opcode.MV_GET_MICROSECONDS, Field.Pointer.at(0x1000)));

        assertThat(networkStates(next)).containsExactly(networkState(network, MvNetworkStatus.CONNECTING));
    }

    @Test
    void statusReadRecordsNoTrace() throws Exception {
        requestNetwork(setupCentre());
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
        for (Frame frame : frames) {
            if (frame instanceof Frame.State state && state.opcode() == StateOpcode.NETWORK) {
                states.add(new Frame.State(0, state.opcode(), state.fields()));
            }
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

    private long setupCentre() throws FrameFormatException {
        List<Frame> reply = exchange(request(Opcode.MV_SETUP_NOTIFICATIONS, Field.Pointer.at(0x3000), new Field.U32(41),
                Field.Pointer.at(0x2000_0000L), new Field.U32(8 * 16), Field.Pointer.at(0x3100)));
        Frame.Response response = (Frame.Response) reply.get(reply.size() - 1);
        assertThat(response.status()).as("mvSetupNotifications").isEqualTo(MvStatus.OKAY.code());
        return ((Field.U64) response.outputs().get(0)).value();
    }

    private List<Frame> requestNetwork(long centre) throws FrameFormatException {
        List<Frame> reply = exchange(request(Opcode.MV_REQUEST_NETWORK, Field.Pointer.at(0x3200), new Field.U32(1),
                new Field.U64(centre), new Field.U32(7), Field.Pointer.at(0x3300)));
        assertThat(((Frame.Response) reply.get(reply.size() - 1)).status()).as("mvRequestNetwork")
                .isEqualTo(MvStatus.OKAY.code());
        return reply;
    }

    private Frame.Request request(Opcode opcode, Field... arguments) {
        return new Frame.Request(++sequence, opcode, true, List.of(arguments));
    }

    private List<Frame> exchange(Frame frame) throws FrameFormatException {
        List<byte[]> encoded = new ArrayList<>();
        session.handle(FrameCodec.encode(frame), encoded::add);
        List<Frame> frames = new ArrayList<>();
        for (byte[] bytes : encoded) {
            frames.add(FrameCodec.decode(bytes));
        }
        return frames;
    }
}
