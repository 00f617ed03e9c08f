package dev.mvsim.host;

import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvNetworkStatus;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.StateOpcode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * The handles a session reserved in its kernel for libmvhost to give out when it answers
 * {@code mvSetupNotifications}, {@code mvRequestNetwork} or {@code mvOpenChannel} itself, and the
 * RESERVED_HANDLES states that offer them.
 *
 * <p>A state goes out only ahead of a RESPONSE. By then the kernel has run every REPORT libmvhost
 * sent before that request, so the handles offered are exactly the ones libmvhost has not given
 * out, and libmvhost replaces its set with them. A push could overtake REPORT frames still queued
 * in libmvhost and offer a handle twice, so a push carries no handles. libmvhost then keeps its
 * handles and only clears the condition bits the push does not set.
 *
 * <p>The state also lists the centres and channels whose buffers the kernel uses. libmvhost tracks
 * each close the app makes, so after a fetch that closed everything it sets up the next centre by
 * itself, although the last state came while the buffers were still in use.
 */
final class HandleReservations {

    /** Handles offered at a time: a fetch from a clean start uses three, a centre, a network request and a channel. */
    static final int POOL_SIZE = 4;

    private final DeviceKernel kernel;
    private final boolean virtualClock;
    private final Set<Long> pool = new LinkedHashSet<>();

    /** The last state encoded, reused while nothing in it changed. */
    private byte[] encoded;
    private int encodedConditions = -1;
    private int encodedStatus = -1;
    private List<Long> encodedHolders = List.of();
    private boolean poolChanged = true;

    HandleReservations(DeviceKernel kernel, boolean virtualClock) {
        this.kernel = kernel;
        this.virtualClock = virtualClock;
    }

    /**
     * Returns the RESERVED_HANDLES state to lead a RESPONSE, after reserving handles up to
     * {@link #POOL_SIZE}. The network status is offered only on a virtual clock, where it cannot
     * change before the app's next exchange. The frame is encoded again only when its content
     * changed, so a repeated state keeps its first sequence number.
     */
    synchronized byte[] stateFrame(IntSupplier sequence) {
        while (pool.size() < POOL_SIZE) {
            pool.add(kernel.reserveHandle());
            poolChanged = true;
        }

        int conditions = 0;
        int status = 0;
        // libmvhost tracks each holder the app closes, so it can tell when a setup is free again without an exchange.
        List<Long> holders = kernel.appBufferHolders();
        if (holders == null) {
            holders = List.of();
        } else {
            conditions |= StateOpcode.RESERVED_HOLDERS_LISTED;
            // No logging buffer and no holder: the kernel uses no app buffer at all.
            if (holders.isEmpty()) {
                conditions |= StateOpcode.RESERVED_SETUP_FREE;
            }
        }
        if (virtualClock) {
            MvNetworkStatus predicted = kernel.networkStatusOfNewRequest();
            conditions |= StateOpcode.RESERVED_STATUS_KNOWN;
            status = predicted.code();
            // A fetch that releases its request and requests again then needs no exchange for the status.
            if (kernel.networkStatusOfNewRequestSurvivesRelease()) {
                conditions |= StateOpcode.RESERVED_STATUS_SURVIVES_RELEASE;
            }
        }

        if (encoded == null || poolChanged || conditions != encodedConditions || status != encodedStatus
                || !holders.equals(encodedHolders)) {
            encoded = FrameCodec.encode(state(sequence.getAsInt(), conditions, status, handleList(pool),
                    handleList(holders)));
            encodedConditions = conditions;
            encodedStatus = status;
            encodedHolders = holders;
            poolChanged = false;
        }
        return encoded;
    }

    /**
     * Returns a state for a push after the kernel's time or link moved: it takes back the network
     * status of a new request, which the move can change. No buffer comes into use by a move, so
     * SETUP_FREE and HOLDERS_LISTED stay, and the handles and holders too.
     */
    static byte[] statusRevokeFrame(int sequence) {
        return FrameCodec.encode(state(sequence, StateOpcode.RESERVED_SETUP_FREE | StateOpcode.RESERVED_HOLDERS_LISTED,
                0, List.of(), List.of()));
    }

    /** Removes {@code handle} from the offered set; returns false when it was not offered. */
    synchronized boolean take(long handle) {
        boolean taken = pool.remove(handle);
        poolChanged |= taken;
        return taken;
    }

    private static Frame.State state(int sequence, int conditions, int status, List<List<Field>> handles,
            List<List<Field>> holders) {
        return new Frame.State(sequence, StateOpcode.RESERVED_HANDLES, List.of(new Field.U32(conditions),
                new Field.U32(status), new Field.FieldList(handles), new Field.FieldList(holders)));
    }

    private static List<List<Field>> handleList(Iterable<Long> handles) {
        List<List<Field>> elements = new ArrayList<>();
        for (long handle : handles) {
            elements.add(List.of(new Field.U64(handle)));
        }
        return elements;
    }
}
