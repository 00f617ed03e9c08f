package dev.mvsim.host;

import static dev.mvsim.host.SessionFixture.handleOutput;
import static dev.mvsim.host.SessionFixture.onlyState;
import static dev.mvsim.host.SessionFixture.response;
import static dev.mvsim.host.SessionFixture.states;
import static dev.mvsim.host.SessionFixture.u64Values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.Opcode;
import dev.mvsim.wire.StateOpcode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OPEN_BUDGET states, and REPORTs of channels libmvhost opened itself with a reserved handle. */
class OpenBudgetTest {

    private static final long START_MICROS = 1_000;
    private static final long RECEIVE_BUFFER = 0x2000_1000L;
    private static final long SEND_BUFFER = 0x2000_1800L;
    /** Bytes from one pair of channel buffers to the next, so that the pairs do not overlap. */
    private static final long BUFFER_SET_BYTES = 0x1000;

    @RegisterExtension
    final SessionFixture fixture = new SessionFixture(START_MICROS);
    private final DeviceKernel kernel = fixture.kernel;
    private final DeviceSession session = fixture.session;
    /** The notification centre of the network request the test set up. */
    private long centre;

    @Test
    void freshKernelOffersFullBudget() {
        List<Frame> reply = exchangeAnyCall();

        Frame.State budget = budget(reply);
        assertThat(budget.fields()).containsExactly(new Field.U32(4), new Field.U32(8), new Field.U64(1_000_000),
                new Field.FieldList(List.of()));
        Frame.State reservation = states(reply, StateOpcode.RESERVED_HANDLES).get(0);
        assertThat(reply.indexOf(budget)).as("budget ahead of the reservation").isLessThan(reply.indexOf(reservation));
    }

    @Test
    void openCountsAgainstBudget() {
        long network = connectedNetwork();

        Frame.Response open = open(centre, network);

        assertThat(open.status()).isEqualTo(MvStatus.OKAY.code());
        Frame.State budget = budget(exchangeAnyCall());
        assertThat(freeChannels(budget)).isEqualTo(3);
        assertThat(opens(budget)).containsExactly(kernel.clock().nowMicros());
    }

    @Test
    void reportedOpenBindsReservedHandle() {
        long network = connectedNetwork();
        long reserved = offeredHandles(exchangeAnyCall()).get(0);

        fixture.exchange(openReport(centre, network, reserved));

        assertThat(session.divergences()).isZero();
        Frame.Response reason = response(fixture.exchange(fixture.request(Opcode.MV_GET_CHANNEL_CLOSURE_REASON,
                new Field.U64(reserved), Field.Pointer.at(0x3400))));
        assertThat(reason.status()).as("closure reason of the reserved channel").isEqualTo(MvStatus.OKAY.code());
        assertThat(offeredHandles(exchangeAnyCall())).doesNotContain(reserved);
    }

    @Test
    void reportedOpenWhileConnectingDiverges() {
        centre = fixture.setUpNotifications();
        long network = handleOutput(response(fixture.requestNetwork(centre)));
        long reserved = offeredHandles(exchangeAnyCall()).get(0);

        fixture.exchange(openReport(centre, network, reserved));

        assertThat(session.divergences()).isEqualTo(1);
        assertThat(session.divergenceDescriptions()).singleElement().asString().contains("mvOpenChannel")
                .contains("the kernel NETWORKNOTCONNECTED");
    }

    @Test
    void ninthOpenInSecondDiverges() {
        long network = connectedNetwork();
        for (int i = 0; i < 8; i++) {
            long channel = handleOutput(open(centre, network));
            close(channel);
        }
        Frame.State budget = budget(exchangeAnyCall());
        long reserved = offeredHandles(exchangeAnyCall()).get(0);

        fixture.exchange(openReport(centre, network, reserved));

        assertThat(opens(budget)).as("opens inside the window").hasSize(8);
        assertThat(freeChannels(budget)).isEqualTo(4);
        assertThat(session.divergences()).isEqualTo(1);
        assertThat(session.divergenceDescriptions()).singleElement().asString().contains("the kernel RATELIMITED");
    }

    @Test
    void windowEndFreesBudget() {
        long network = connectedNetwork();
        long channel = handleOutput(open(centre, network));
        close(channel);

        kernel.advance(Duration.ofSeconds(1));

        assertThat(opens(budget(exchangeAnyCall()))).isEmpty();
    }

    @Test
    void openChannelsFillBudget() {
        long network = connectedNetwork();
        for (int i = 0; i < 4; i++) {
            open(centre, network, i);
        }

        Frame.State budget = budget(exchangeAnyCall());

        assertThat(freeChannels(budget)).isZero();
        assertThat(response(fixture.exchange(openRequest(centre, network, 4))).status())
                .isEqualTo(MvStatus.TOOMANYCHANNELS.code());
    }

    /** Sets up a centre and a network request, and moves the clock until the device is connected. */
    private long connectedNetwork() {
        centre = fixture.setUpNotifications();
        long network = handleOutput(response(fixture.requestNetwork(centre)));
        kernel.advance(Duration.ofSeconds(30));
        return network;
    }

    private Frame.Response open(long centre, long network) {
        return open(centre, network, 0);
    }

    /** Opens a channel whose buffers are the {@code bufferSet}th of a row of disjoint ones. */
    private Frame.Response open(long centre, long network, int bufferSet) {
        Frame.Response open = response(fixture.exchange(openRequest(centre, network, bufferSet)));
        assertThat(open.status()).as("mvOpenChannel").isEqualTo(MvStatus.OKAY.code());
        return open;
    }

    private void close(long channel) {
        Frame.Response close = response(fixture.exchange(fixture.request(Opcode.MV_CLOSE_CHANNEL, Field.Pointer.at(0x3500),
                new Field.U64(channel))));
        assertThat(close.status()).as("mvCloseChannel").isEqualTo(MvStatus.OKAY.code());
    }

    private Frame.Request openRequest(long centre, long network, int bufferSet) {
        return fixture.request(Opcode.MV_OPEN_CHANNEL, openArguments(centre, network, bufferSet).toArray(Field[]::new));
    }

    private Frame.Report openReport(long centre, long network, long handle) {
        return fixture.report(Opcode.MV_OPEN_CHANNEL, openArguments(centre, network, 0), MvStatus.OKAY.code(),
                List.of(new Field.U64(handle)));
    }

    /**
     * Returns the arguments of an mvOpenChannel of a config-fetch channel with a 2048-byte receive
     * and a 512-byte send buffer, the {@code bufferSet}th pair of a row of disjoint pairs.
     */
    private static List<Field> openArguments(long centre, long network, int bufferSet) {
        long offset = BUFFER_SET_BYTES * bufferSet;
        return List.of(Field.Pointer.at(0x3600), new Field.U32(1), new Field.U64(centre), new Field.U32(9),
                new Field.U64(network), Field.Pointer.at(RECEIVE_BUFFER + offset), new Field.U32(2048),
                Field.Pointer.at(SEND_BUFFER + offset), new Field.U32(512), new Field.U32(3), Field.Pointer.ABSENT,
                new Field.U32(0), new Field.Bytes(new byte[0]), Field.Pointer.at(0x3700));
    }

    private List<Frame> exchangeAnyCall() {
        return fixture.exchange(fixture.control(Opcode.HARNESS_POLL));
    }

    private static Frame.State budget(List<Frame> reply) {
        return onlyState(reply, StateOpcode.OPEN_BUDGET);
    }

    private static int freeChannels(Frame.State budget) {
        return ((Field.U32) budget.fields().get(0)).value();
    }

    private static List<Long> opens(Frame.State budget) {
        return u64Values(budget.fields().get(3));
    }

    /** Returns the handles the reply's last RESERVED_HANDLES state offers; a push after a clock move may come before it. */
    private static List<Long> offeredHandles(List<Frame> reply) {
        List<Frame.State> reservations = states(reply, StateOpcode.RESERVED_HANDLES);
        return SessionFixture.offeredHandles(reservations.get(reservations.size() - 1));
    }
}
