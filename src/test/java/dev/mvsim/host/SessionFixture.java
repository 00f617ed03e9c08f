package dev.mvsim.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvStatus;
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
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link DeviceSession} on a kernel with no items, driven frame by frame for session tests: it
 * numbers the frames a test sends and decodes the frames the session sends back. Registered with
 * {@code @RegisterExtension}, it closes the session after each test, and elsewhere a test closes it
 * with try-with-resources.
 */
final class SessionFixture implements AfterEachCallback, AutoCloseable {

    static final String DEVICE_SID = "UV0123456789abcdef0123456789abcdef";
    static final long RING_ADDRESS = 0x2000_0000L;

    final DeviceKernel kernel;
    final DeviceSession session;
    private int sequence;

    /** A session on a kernel whose virtual clock starts at {@code startMicros}. */
    SessionFixture(long startMicros) {
        this(DeviceKernel.builder(DEVICE_SID, new InMemoryItemDirectory()).clock(new VirtualClock(startMicros)).build());
    }

    SessionFixture(DeviceKernel kernel) {
        this.kernel = kernel;
        this.session = new DeviceSession(kernel);
    }

    Frame.Request request(Opcode opcode, Field... arguments) {
        return new Frame.Request(++sequence, opcode, true, List.of(arguments));
    }

    Frame.Control control(Opcode opcode, Field... arguments) {
        return new Frame.Control(++sequence, opcode, List.of(arguments));
    }

    /** A REPORT of a call libmvhost answered itself with {@code status} and {@code outputs}. */
    Frame.Report report(Opcode opcode, List<Field> arguments, int status, List<Field> outputs) {
        return new Frame.Report(++sequence, opcode, arguments, status, outputs);
    }

    /** Sends one frame and returns the reply, decoded. */
    List<Frame> exchange(Frame frame) {
        List<Frame> frames = new ArrayList<>();
        session.handle(FrameCodec.encode(frame), bytes -> frames.add(decode(bytes)));
        return frames;
    }

    /** Returns the arguments of an mvSetupNotifications with an 8-record ring at {@link #RING_ADDRESS} on IRQ 41. */
    static List<Field> setupArguments() {
        return List.of(Field.Pointer.at(0x3000), new Field.U32(41), Field.Pointer.at(RING_ADDRESS),
                new Field.U32(8 * 16), Field.Pointer.at(0x3100));
    }

    /** Sets up a notification centre in the kernel and returns its handle. */
    long setUpNotifications() {
        Frame.Response setup = response(exchange(request(Opcode.MV_SETUP_NOTIFICATIONS,
                setupArguments().toArray(Field[]::new))));
        assertThat(setup.status()).as("mvSetupNotifications").isEqualTo(MvStatus.OKAY.code());
        return handleOutput(setup);
    }

    /** Requests the network with notifications to {@code centre} and returns the whole reply. */
    List<Frame> requestNetwork(long centre) {
        List<Frame> reply = exchange(request(Opcode.MV_REQUEST_NETWORK, Field.Pointer.at(0x3200), new Field.U32(1),
                new Field.U64(centre), new Field.U32(7), Field.Pointer.at(0x3300)));
        assertThat(response(reply).status()).as("mvRequestNetwork").isEqualTo(MvStatus.OKAY.code());
        return reply;
    }

    static Frame decode(byte[] bytes) {
        try {
            return FrameCodec.decode(bytes);
        } catch (FrameFormatException e) {
            throw new AssertionError("session sent an invalid frame", e);
        }
    }

    static List<Frame> decodeAll(List<byte[]> encoded) {
        List<Frame> frames = new ArrayList<>();
        for (byte[] bytes : encoded) {
            frames.add(decode(bytes));
        }
        return frames;
    }

    /** Returns the RESPONSE that ends {@code reply}. */
    static Frame.Response response(List<Frame> reply) {
        assertThat(reply).last().isInstanceOf(Frame.Response.class);
        return (Frame.Response) reply.get(reply.size() - 1);
    }

    /** Returns the handle a creating call wrote as its first output. */
    static long handleOutput(Frame.Response response) {
        return ((Field.U64) response.outputs().get(0)).value();
    }

    /** Returns the STATE frames with {@code opcode} in {@code frames}, in order. */
    static List<Frame.State> states(List<Frame> frames, StateOpcode opcode) {
        List<Frame.State> states = new ArrayList<>();
        for (Frame frame : frames) {
            if (frame instanceof Frame.State state && state.opcode() == opcode) {
                states.add(state);
            }
        }
        return states;
    }

    /** Returns the one STATE frame with {@code opcode} in {@code reply}, and fails unless there is exactly one. */
    static Frame.State onlyState(List<Frame> reply, StateOpcode opcode) {
        List<Frame.State> matching = states(reply, opcode);
        assertThat(matching).as("%s states in the reply", opcode).hasSize(1);
        return matching.get(0);
    }

    /** Returns the values of a list field whose elements are each one u64, such as a list of handles. */
    static List<Long> u64Values(Field list) {
        List<Long> values = new ArrayList<>();
        for (List<Field> element : ((Field.FieldList) list).elements()) {
            values.add(((Field.U64) element.get(0)).value());
        }
        return values;
    }

    /** Returns the handles a RESERVED_HANDLES state offers. */
    static List<Long> offeredHandles(Frame.State reservation) {
        return u64Values(reservation.fields().get(2));
    }

    /** Returns the buffer holders a RESERVED_HANDLES state lists. */
    static List<Long> bufferHolders(Frame.State reservation) {
        return u64Values(reservation.fields().get(3));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        session.close();
    }
}
