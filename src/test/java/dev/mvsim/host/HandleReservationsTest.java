package dev.mvsim.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvNetworkStatus;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.VirtualClock;
import dev.mvsim.kernel.WallClock;
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

/** RESERVED_HANDLES states: what the session offers ahead of each RESPONSE, and how REPORTs bind it. */
class HandleReservationsTest {

    private static final String DEVICE_SID = "UV0123456789abcdef0123456789abcdef";
    private static final long RING_ADDRESS = 0x2000_0000L;

    private final DeviceKernel kernel = DeviceKernel.builder(DEVICE_SID, new InMemoryItemDirectory())
            .clock(new VirtualClock(1_000)).build();
    private final DeviceSession session = new DeviceSession(kernel);
    private int sequence;

    @AfterEach
    void closeSession() {
        session.close();
    }

    @Test
    void replyOffersFourHandles() throws Exception {
        List<Frame> reply = exchange(request(Opcode.MV_GET_MICROSECONDS, Field.Pointer.at(0x1000)));

        Frame.State offer = reservation(reply);
        assertThat(reply.indexOf(offer)).as("offer ahead of the response").isEqualTo(reply.size() - 2);
        assertThat(conditions(offer)).isEqualTo(StateOpcode.RESERVED_SETUP_FREE | StateOpcode.RESERVED_STATUS_KNOWN
                | StateOpcode.RESERVED_HOLDERS_LISTED | StateOpcode.RESERVED_STATUS_SURVIVES_RELEASE);
        assertThat(holders(offer)).isEmpty();
        assertThat(offer.fields().get(1)).as("status of a new request with the default connect delay")
                .isEqualTo(new Field.U32(MvNetworkStatus.CONNECTING.code()));
        assertThat(handles(offer)).hasSize(HandleReservations.POOL_SIZE).doesNotHaveDuplicates().doesNotContain(0L);
    }

    @Test
    void reportBindsReservedHandle() throws Exception {
        List<Long> offered = handles(reservation(exchange(request(Opcode.MV_GET_MICROSECONDS, Field.Pointer.at(0x1000)))));
        long centre = offered.get(0);

        exchange(setupReport(centre));
        Frame.Response network = response(exchange(request(Opcode.MV_REQUEST_NETWORK, Field.Pointer.at(0x3200),
                new Field.U32(1), new Field.U64(centre), new Field.U32(7), Field.Pointer.at(0x3300))));

        assertThat(session.divergences()).isZero();
        assertThat(network.status()).as("request on the bound centre").isEqualTo(MvStatus.OKAY.code());
        List<Long> next = handles(reservation(exchange(request(Opcode.MV_GET_MICROSECONDS, Field.Pointer.at(0x1000)))));
        assertThat(next).hasSize(HandleReservations.POOL_SIZE).doesNotContain(centre);
        assertThat(next).as("the request's own handle is a fresh one").doesNotContain(
                ((Field.U64) network.outputs().get(0)).value());
    }

    @Test
    void reportWithOtherHandleDiverges() throws Exception {
        exchange(request(Opcode.MV_GET_MICROSECONDS, Field.Pointer.at(0x1000)));

        exchange(setupReport(0x1234));

        assertThat(session.divergences()).isEqualTo(1);
        assertThat(session.divergenceDescriptions()).singleElement().asString().contains("mvSetupNotifications");
    }

    @Test
    void centreInUseClearsSetupFree() throws Exception {
        List<Frame> reply = exchange(request(Opcode.MV_SETUP_NOTIFICATIONS, Field.Pointer.at(0x3000),
                new Field.U32(41), Field.Pointer.at(RING_ADDRESS), new Field.U32(8 * 16), Field.Pointer.at(0x3100)));

        assertThat(response(reply).status()).isEqualTo(MvStatus.OKAY.code());
        assertThat(conditions(reservation(reply))).isEqualTo(StateOpcode.RESERVED_STATUS_KNOWN
                | StateOpcode.RESERVED_HOLDERS_LISTED | StateOpcode.RESERVED_STATUS_SURVIVES_RELEASE);
        assertThat(holders(reservation(reply))).containsExactly(((Field.U64) response(reply).outputs().get(0)).value());
    }

    @Test
    void closedCentreLeavesHolderList() throws Exception {
        Frame.Response setup = response(exchange(request(Opcode.MV_SETUP_NOTIFICATIONS, Field.Pointer.at(0x3000),
                new Field.U32(41), Field.Pointer.at(RING_ADDRESS), new Field.U32(8 * 16), Field.Pointer.at(0x3100))));
        long centre = ((Field.U64) setup.outputs().get(0)).value();

        List<Frame> reply = exchange(request(Opcode.MV_CLOSE_NOTIFICATIONS, Field.Pointer.at(0x3100),
                new Field.U64(centre)));

        assertThat(response(reply).status()).isEqualTo(MvStatus.OKAY.code());
        assertThat(holders(reservation(reply))).isEmpty();
        assertThat(conditions(reservation(reply)) & StateOpcode.RESERVED_SETUP_FREE).isNotZero();
    }

    @Test
    void connectedStatusDoesNotSurviveRelease() throws Exception {
        Frame.Response setup = response(exchange(request(Opcode.MV_SETUP_NOTIFICATIONS, Field.Pointer.at(0x3000),
                new Field.U32(41), Field.Pointer.at(RING_ADDRESS), new Field.U32(8 * 16), Field.Pointer.at(0x3100))));
        exchange(request(Opcode.MV_REQUEST_NETWORK, Field.Pointer.at(0x3200), new Field.U32(1), setup.outputs().get(0),
                new Field.U32(7), Field.Pointer.at(0x3300)));
        kernel.runUntilIdle();

        Frame.State offer = reservation(exchange(request(Opcode.MV_GET_MICROSECONDS, Field.Pointer.at(0x1000))));

        assertThat(offer.fields().get(1)).isEqualTo(new Field.U32(MvNetworkStatus.CONNECTED.code()));
        assertThat(conditions(offer) & StateOpcode.RESERVED_STATUS_SURVIVES_RELEASE)
                .as("a request after releasing the last one connects again after the delay").isZero();
    }

    @Test
    void loggingBufferLeavesHoldersUnlisted() throws Exception {
        List<Frame> reply = exchange(request(Opcode.MV_SERVER_LOGGING_INIT, Field.Pointer.at(0x4000), new Field.U32(4096)));

        assertThat(response(reply).status()).isEqualTo(MvStatus.OKAY.code());
        assertThat(conditions(reservation(reply))).as("no handle stands for a logging buffer")
                .isEqualTo(StateOpcode.RESERVED_STATUS_KNOWN | StateOpcode.RESERVED_STATUS_SURVIVES_RELEASE);
        assertThat(holders(reservation(reply))).isEmpty();
    }

    @Test
    void javaAdvanceTakesStatusBack() throws Exception {
        List<byte[]> pushed = new ArrayList<>();
        session.setNotificationSink(pushed::add);
        exchange(request(Opcode.MV_GET_MICROSECONDS, Field.Pointer.at(0x1000)));

        kernel.advanceMicros(10);

        List<Frame.State> offers = new ArrayList<>();
        for (byte[] frame : pushed) {
            if (FrameCodec.decode(frame) instanceof Frame.State state && state.opcode() == StateOpcode.RESERVED_HANDLES) {
                offers.add(state);
            }
        }
        assertThat(offers).isNotEmpty().allSatisfy(offer -> {
            assertThat(conditions(offer)).as("conditions left")
                    .isEqualTo(StateOpcode.RESERVED_SETUP_FREE | StateOpcode.RESERVED_HOLDERS_LISTED);
            assertThat(handles(offer)).isEmpty();
        });
    }

    @Test
    void wallClockOffersNoStatus() throws Exception {
        DeviceKernel wallKernel = DeviceKernel.builder(DEVICE_SID, new InMemoryItemDirectory()).clock(new WallClock()).build();
        try (DeviceSession wall = new DeviceSession(wallKernel)) {
            List<Frame> reply = new ArrayList<>();
            wall.handle(FrameCodec.encode(new Frame.Control(1, Opcode.HARNESS_POLL, List.of())),
                    bytes -> reply.add(decode(bytes)));

            assertThat(conditions(reservation(reply)))
                    .isEqualTo(StateOpcode.RESERVED_SETUP_FREE | StateOpcode.RESERVED_HOLDERS_LISTED);
        }
    }

    /** A REPORT of an mvSetupNotifications that libmvhost answered OKAY with {@code handle}. */
    private Frame.Report setupReport(long handle) {
        return new Frame.Report(++sequence, Opcode.MV_SETUP_NOTIFICATIONS, List.of(Field.Pointer.at(0x3000),
                new Field.U32(41), Field.Pointer.at(RING_ADDRESS), new Field.U32(8 * 16), Field.Pointer.at(0x3100)),
                MvStatus.OKAY.code(), List.of(new Field.U64(handle)));
    }

    private Frame.Request request(Opcode opcode, Field... arguments) {
        return new Frame.Request(++sequence, opcode, true, List.of(arguments));
    }

    private List<Frame> exchange(Frame frame) {
        List<Frame> frames = new ArrayList<>();
        session.handle(FrameCodec.encode(frame), bytes -> frames.add(decode(bytes)));
        return frames;
    }

    private static Frame decode(byte[] bytes) {
        try {
            return FrameCodec.decode(bytes);
        } catch (FrameFormatException e) {
            throw new AssertionError("session sent an invalid frame", e);
        }
    }

    private static Frame.Response response(List<Frame> reply) {
        assertThat(reply).last().isInstanceOf(Frame.Response.class);
        return (Frame.Response) reply.get(reply.size() - 1);
    }

    private static Frame.State reservation(List<Frame> reply) {
        List<Frame.State> offers = new ArrayList<>();
        for (Frame frame : reply) {
            if (frame instanceof Frame.State state && state.opcode() == StateOpcode.RESERVED_HANDLES) {
                offers.add(state);
            }
        }
        assertThat(offers).as("RESERVED_HANDLES states in the reply").hasSize(1);
        return offers.get(0);
    }

    private static int conditions(Frame.State offer) {
        return ((Field.U32) offer.fields().get(0)).value();
    }

    private static List<Long> handles(Frame.State offer) {
        return handleList(offer, 2);
    }

    private static List<Long> holders(Frame.State offer) {
        return handleList(offer, 3);
    }

    private static List<Long> handleList(Frame.State offer, int field) {
        List<Long> handles = new ArrayList<>();
        for (List<Field> element : ((Field.FieldList) offer.fields().get(field)).elements()) {
            handles.add(((Field.U64) element.get(0)).value());
        }
        return handles;
    }
}
