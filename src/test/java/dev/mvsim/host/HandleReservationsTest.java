package dev.mvsim.host;

import static dev.mvsim.host.SessionFixture.DEVICE_SID;
import static dev.mvsim.host.SessionFixture.bufferHolders;
import static dev.mvsim.host.SessionFixture.decodeAll;
import static dev.mvsim.host.SessionFixture.handleOutput;
import static dev.mvsim.host.SessionFixture.offeredHandles;
import static dev.mvsim.host.SessionFixture.onlyState;
import static dev.mvsim.host.SessionFixture.response;
import static dev.mvsim.host.SessionFixture.states;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvNetworkStatus;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.WallClock;
import dev.mvsim.link.InMemoryItemDirectory;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.Opcode;
import dev.mvsim.wire.StateOpcode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RESERVED_HANDLES states: what the session offers ahead of each RESPONSE, and how REPORTs bind it. */
class HandleReservationsTest {

    @RegisterExtension
    final SessionFixture fixture = new SessionFixture(1_000);
    private final DeviceKernel kernel = fixture.kernel;
    private final DeviceSession session = fixture.session;

    @Test
    void replyOffersFourHandles() {
        List<Frame> reply = exchangeAnyCall();

        Frame.State offer = reservation(reply);
        assertThat(reply.indexOf(offer)).as("offer ahead of the response").isEqualTo(reply.size() - 2);
        assertThat(conditions(offer)).isEqualTo(StateOpcode.RESERVED_SETUP_FREE | StateOpcode.RESERVED_STATUS_KNOWN
                | StateOpcode.RESERVED_HOLDERS_LISTED | StateOpcode.RESERVED_STATUS_SURVIVES_RELEASE);
        assertThat(bufferHolders(offer)).isEmpty();
        assertThat(offer.fields().get(1)).as("status of a new request with the default connect delay")
                .isEqualTo(new Field.U32(MvNetworkStatus.CONNECTING.code()));
        assertThat(offeredHandles(offer)).hasSize(HandleReservations.POOL_SIZE).doesNotHaveDuplicates()
                .doesNotContain(0L);
    }

    @Test
    void reportBindsReservedHandle() {
        List<Long> offered = offeredHandles(reservation(exchangeAnyCall()));
        long centre = offered.get(0);

        fixture.exchange(setupReport(centre));
        Frame.Response network = response(fixture.requestNetwork(centre));

        assertThat(session.divergences()).isZero();
        assertThat(network.status()).as("request on the bound centre").isEqualTo(MvStatus.OKAY.code());
        List<Long> next = offeredHandles(reservation(exchangeAnyCall()));
        assertThat(next).hasSize(HandleReservations.POOL_SIZE).doesNotContain(centre);
        assertThat(next).as("the request's own handle is a fresh one").doesNotContain(handleOutput(network));
    }

    @Test
    void reportWithOtherHandleDiverges() {
        exchangeAnyCall();

        fixture.exchange(setupReport(0x1234));

        assertThat(session.divergences()).isEqualTo(1);
        assertThat(session.divergenceDescriptions()).singleElement().asString().contains("mvSetupNotifications")
                .contains("libmvhost answered OKAY with [U64[value=4660]]");
    }

    @Test
    void centreInUseClearsSetupFree() {
        List<Frame> reply = fixture.exchange(fixture.request(Opcode.MV_SETUP_NOTIFICATIONS,
                SessionFixture.setupArguments().toArray(Field[]::new)));

        assertThat(response(reply).status()).isEqualTo(MvStatus.OKAY.code());
        assertThat(conditions(reservation(reply))).isEqualTo(StateOpcode.RESERVED_STATUS_KNOWN
                | StateOpcode.RESERVED_HOLDERS_LISTED | StateOpcode.RESERVED_STATUS_SURVIVES_RELEASE);
        assertThat(bufferHolders(reservation(reply))).containsExactly(handleOutput(response(reply)));
    }

    @Test
    void closedCentreLeavesHolderList() {
        long centre = fixture.setUpNotifications();

        List<Frame> reply = fixture.exchange(fixture.request(Opcode.MV_CLOSE_NOTIFICATIONS, Field.Pointer.at(0x3100),
                new Field.U64(centre)));

        assertThat(response(reply).status()).isEqualTo(MvStatus.OKAY.code());
        assertThat(bufferHolders(reservation(reply))).isEmpty();
        assertThat(conditions(reservation(reply)) & StateOpcode.RESERVED_SETUP_FREE).isNotZero();
    }

    @Test
    void connectedStatusDoesNotSurviveRelease() {
        fixture.requestNetwork(fixture.setUpNotifications());
        kernel.runUntilIdle();

        Frame.State offer = reservation(exchangeAnyCall());

        assertThat(offer.fields().get(1)).isEqualTo(new Field.U32(MvNetworkStatus.CONNECTED.code()));
        assertThat(conditions(offer) & StateOpcode.RESERVED_STATUS_SURVIVES_RELEASE)
                .as("a request after releasing the last one connects again after the delay").isZero();
    }

    @Test
    void loggingBufferLeavesHoldersUnlisted() {
        List<Frame> reply = fixture.exchange(fixture.request(Opcode.MV_SERVER_LOGGING_INIT, Field.Pointer.at(0x4000),
                new Field.U32(4096)));

        assertThat(response(reply).status()).isEqualTo(MvStatus.OKAY.code());
        assertThat(conditions(reservation(reply))).as("no handle stands for a logging buffer")
                .isEqualTo(StateOpcode.RESERVED_STATUS_KNOWN | StateOpcode.RESERVED_STATUS_SURVIVES_RELEASE);
        assertThat(bufferHolders(reservation(reply))).isEmpty();
    }

    @Test
    void javaAdvanceTakesStatusBack() {
        List<byte[]> pushed = new ArrayList<>();
        session.setNotificationSink(pushed::add);
        exchangeAnyCall();

        kernel.advanceMicros(10);

        List<Frame.State> offers = states(decodeAll(pushed), StateOpcode.RESERVED_HANDLES);
        assertThat(offers).isNotEmpty().allSatisfy(offer -> {
            assertThat(conditions(offer)).as("conditions left")
                    .isEqualTo(StateOpcode.RESERVED_SETUP_FREE | StateOpcode.RESERVED_HOLDERS_LISTED);
            assertThat(offeredHandles(offer)).isEmpty();
        });
    }

    @Test
    void wallClockOffersNoStatus() {
        try (SessionFixture wall = new SessionFixture(DeviceKernel.builder(DEVICE_SID, new InMemoryItemDirectory())
                .clock(new WallClock()).build())) {
            List<Frame> reply = wall.exchange(wall.control(Opcode.HARNESS_POLL));

            assertThat(conditions(reservation(reply)))
                    .isEqualTo(StateOpcode.RESERVED_SETUP_FREE | StateOpcode.RESERVED_HOLDERS_LISTED);
        }
    }

    /** Makes a call that creates nothing, for the state its reply carries. */
    private List<Frame> exchangeAnyCall() {
        return fixture.exchange(fixture.request(Opcode.MV_GET_MICROSECONDS, Field.Pointer.at(0x1000)));
    }

    /** A REPORT of an mvSetupNotifications that libmvhost answered OKAY with {@code handle}. */
    private Frame.Report setupReport(long handle) {
        return fixture.report(Opcode.MV_SETUP_NOTIFICATIONS, SessionFixture.setupArguments(), MvStatus.OKAY.code(),
                List.of(new Field.U64(handle)));
    }

    private static Frame.State reservation(List<Frame> reply) {
        return onlyState(reply, StateOpcode.RESERVED_HANDLES);
    }

    private static int conditions(Frame.State offer) {
        return ((Field.U32) offer.fields().get(0)).value();
    }
}
