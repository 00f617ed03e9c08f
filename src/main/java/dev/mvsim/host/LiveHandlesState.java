package dev.mvsim.host;

import dev.mvsim.kernel.AppBuffer;
import dev.mvsim.kernel.LiveHandles;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.StateOpcode;
import dev.mvsim.wire.WireLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The LIVE_HANDLES state: the app's live centres, network requests and channels in its kernel.
 * libmvhost drops the handles its local answers use when its connection breaks, because the server
 * may open a fresh kernel. A kernel kept for the reconnect sends this state once, ahead of its first RESPONSE after
 * the reattachment, so that libmvhost tracks those handles again and replies to calls on them itself.
 */
final class LiveHandlesState {

    private LiveHandlesState() {
    }

    /**
     * Returns the encoded state listing {@code handles}, or null when a list would pass the wire's
     * limit of elements. Then libmvhost tracks nothing from before the loss, and calls on those
     * handles go to the kernel, as they would without the state.
     */
    static byte[] frame(LiveHandles handles, IntSupplier sequence) {
        if (handles.centres().size() > WireLimits.MAX_LIST_ELEMENTS
                || handles.networkRequests().size() > WireLimits.MAX_LIST_ELEMENTS
                || handles.channels().size() > WireLimits.MAX_LIST_ELEMENTS) {
            return null;
        }
        List<List<Field>> centres = new ArrayList<>(handles.centres().size());
        for (LiveHandles.Centre centre : handles.centres()) {
            centres.add(List.of(new Field.U64(centre.handle()), new Field.U64(centre.ring().address()),
                    new Field.U32(centre.ring().size())));
        }
        List<List<Field>> networks = new ArrayList<>(handles.networkRequests().size());
        for (long network : handles.networkRequests()) {
            networks.add(List.of(new Field.U64(network)));
        }
        List<List<Field>> channels = new ArrayList<>(handles.channels().size());
        for (LiveHandles.Channel channel : handles.channels()) {
            List<Field> fields = new ArrayList<>(9);
            fields.add(new Field.U64(channel.handle()));
            fields.add(new Field.U64(channel.notificationHandle()));
            fields.add(new Field.U32(channel.tag()));
            fields.add(new Field.U64(channel.networkHandle()));
            addBuffer(fields, channel.receiveBuffer());
            addBuffer(fields, channel.sendBuffer());
            fields.add(new Field.U32(channel.fetchPending() ? 1 : 0));
            channels.add(fields);
        }
        return FrameCodec.encode(new Frame.State(sequence.getAsInt(), StateOpcode.LIVE_HANDLES,
                List.of(new Field.FieldList(centres), new Field.FieldList(networks), new Field.FieldList(channels))));
    }

    private static void addBuffer(List<Field> fields, AppBuffer buffer) {
        fields.add(new Field.U64(buffer.address()));
        fields.add(new Field.U32(buffer.size()));
    }
}
