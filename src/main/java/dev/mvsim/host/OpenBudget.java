package dev.mvsim.host;

import dev.mvsim.kernel.ChannelOpenBudget;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.StateOpcode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The OPEN_BUDGET states of a session: how many channels the kernel's channel limit and rate
 * limit let the app open from now on. With a RESERVED_HANDLES state that offers a handle,
 * libmvhost answers {@code mvOpenChannel} itself while the budget allows it, and counts each such
 * open against its copy.
 *
 * <p>A state goes out only ahead of a RESPONSE, when the kernel has run every REPORT sent before
 * that request, so the opens it lists include libmvhost's own. Time passing and closing a channel
 * only free budget, so no move of the kernel's time or link takes a state back.
 */
final class OpenBudget {

    private final DeviceKernel kernel;

    /** The last state encoded, reused while the budget stays the same. */
    private byte[] encoded;
    private ChannelOpenBudget encodedBudget;

    OpenBudget(DeviceKernel kernel) {
        this.kernel = kernel;
    }

    /**
     * Returns the OPEN_BUDGET state to lead a RESPONSE. The frame is encoded again only when the
     * budget changed, so a repeated state keeps its first sequence number.
     */
    synchronized byte[] stateFrame(IntSupplier sequence) {
        ChannelOpenBudget budget = kernel.channelOpenBudget();
        if (encoded == null || !budget.equals(encodedBudget)) {
            encoded = FrameCodec.encode(state(sequence.getAsInt(), budget));
            encodedBudget = budget;
        }
        return encoded;
    }

    private static Frame.State state(int sequence, ChannelOpenBudget budget) {
        List<List<Field>> opens = new ArrayList<>(budget.opensInWindow().size());
        for (long openedAt : budget.opensInWindow()) {
            opens.add(List.of(new Field.U64(openedAt)));
        }
        return new Frame.State(sequence, StateOpcode.OPEN_BUDGET, List.of(new Field.U32(budget.freeChannels()),
                new Field.U32(budget.maxOpensPerWindow()), new Field.U64(budget.windowMicros()),
                new Field.FieldList(opens)));
    }
}
