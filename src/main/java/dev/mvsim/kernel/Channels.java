package dev.mvsim.kernel;

import static dev.mvsim.kernel.MvStatus.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** {@code mvOpenChannel}, {@code mvCloseChannel} and {@code mvGetChannelClosureReason}. */
final class Channels {

    static final int MAX_OPEN_CHANNELS = 4;
    static final int MAX_OPENS_PER_WINDOW = 8;
    static final long RATE_WINDOW_MICROS = 1_000_000;
    /** Alignment and size unit of channel buffers: every known firmware uses 512-byte-aligned multiples of 512. */
    static final int BUFFER_UNIT = 512;

    private final KernelState state;
    private Network network;
    private final ArrayDeque<Long> recentOpens = new ArrayDeque<>();

    Channels(KernelState state) {
        this.state = state;
    }

    void attach(Network network) {
        this.network = network;
    }

    /**
     * Opens a config-fetch channel. The checks run in the order below, so when several rules are
     * broken the first one listed decides the status.
     */
    MvStatus open(MvOpenChannelParams params, Out.Handle handleOut) {
        if (params == null || handleOut == null) {
            return PARAMETERFAULT;
        }
        if (params.version() != 1) {
            return UNSUPPORTEDSTRUCTUREVERSION;
        }
        AppBuffer receive = params.receiveBuffer();
        AppBuffer send = params.sendBuffer();
        MvSizedString endpoint = params.endpoint() == null ? MvSizedString.EMPTY : params.endpoint();
        if (receive == null || send == null || receive.isNull() || send.isNull()
                || receive.wrapsAround() || send.wrapsAround() || !endpoint.isReadable()) {
            return PARAMETERFAULT;
        }
        if (state.handles.get(params.notificationHandle(), NotificationCentre.class) == null
                || state.handles.get(params.networkHandle(), NetworkRequest.class) == null) {
            return INVALIDHANDLE;
        }

        MvChannelType type = MvChannelType.fromCode(Integer.toUnsignedLong(params.channelType()));
        if (type == null) {
            return UNKNOWNCHANNELTYPE;
        }
        if (type != MvChannelType.CONFIGFETCH) {
            // mvsim carries only config fetches, so firmware gets the vendor's "not possible now" status.
            return UNAVAILABLE;
        }
        if (endpoint.length() != 0) {
            return UNKNOWNCHANNELENDPOINT;
        }

        if (send.address() % BUFFER_UNIT != 0) {
            return INVALIDBUFFERALIGNMENT;
        }
        if (!isWholeUnits(send) || !isWholeUnits(receive)) {
            return INVALIDBUFFERSIZE;
        }
        if (send.overlaps(receive) || state.bufferInUse(send) || state.bufferInUse(receive)) {
            return BUFFERALREADYINUSE;
        }

        if (!network.isUsable(params.networkHandle())) {
            return NETWORKNOTCONNECTED;
        }
        if (state.channels.size() >= MAX_OPEN_CHANNELS) {
            return TOOMANYCHANNELS;
        }
        long now = state.now();
        if (isRateLimited(now)) {
            return RATELIMITED;
        }

        // A reserved handle when libmvhost opened the channel itself and this call replays its REPORT.
        long handle = state.newAppHandle();
        Channel channel = new Channel(handle, params.notificationHandle(), params.notificationTag(),
                params.networkHandle(), receive, send);
        state.handles.bind(handle, channel);
        state.channels.put(handle, channel);
        recentOpens.addLast(now);
        handleOut.value = handle;
        return OKAY;
    }

    /**
     * Creates a channel under {@code handle}, which the caller checked is free, already closed with
     * NETWORKDISCONNECTED, for a channel that a lost connection closed in another kernel. It keeps
     * its buffers and a channel slot until the app closes it, as such a channel does, but writes no
     * record and does not count as an open for the rate limit. Its centre and network request need
     * not be live, because a closed channel never uses them.
     */
    MvStatus restoreClosed(long handle, long notificationHandle, int tag, long networkHandle, AppBuffer receive,
                           AppBuffer send) {
        if (receive.isNull() || send.isNull() || receive.wrapsAround() || send.wrapsAround()) {
            return PARAMETERFAULT;
        }
        if (send.overlaps(receive) || state.bufferInUse(send) || state.bufferInUse(receive)) {
            return BUFFERALREADYINUSE;
        }
        if (state.channels.size() >= MAX_OPEN_CHANNELS) {
            return TOOMANYCHANNELS;
        }
        Channel channel = new Channel(handle, notificationHandle, tag, networkHandle, receive, send);
        channel.closureReason = MvClosureReason.NETWORKDISCONNECTED;
        state.handles.bind(handle, channel);
        state.channels.put(handle, channel);
        return OKAY;
    }

    /**
     * Closes the channel, whether it is connected or the network already closed it, and frees its
     * slot and buffers. A pending fetch is abandoned and sends no notification.
     */
    MvStatus close(Out.Handle handleInOut) {
        if (handleInOut == null) {
            return PARAMETERFAULT;
        }
        Channel channel = state.handles.get(handleInOut.value, Channel.class);
        if (channel == null) {
            return INVALIDHANDLE;
        }

        if (channel.fetchState == Channel.FetchState.PENDING) {
            channel.pendingResponse.cancel();
            channel.fetchState = Channel.FetchState.FAILED;
            state.fetchesAbandoned++;
        }
        channel.wipe();
        state.handles.remove(channel.handle);
        state.channels.remove(channel.handle);
        handleInOut.value = 0;
        return OKAY;
    }

    MvStatus closureReason(long handle, Out.Value<MvClosureReason> reasonOut) {
        if (reasonOut == null) {
            return PARAMETERFAULT;
        }
        Channel channel = state.handles.get(handle, Channel.class);
        if (channel == null) {
            return INVALIDHANDLE;
        }
        reasonOut.value = channel.closureReason;
        return OKAY;
    }

    /**
     * Closes every channel on the network request and notifies each with CHANNELNOTCONNECTED. A
     * dropped channel stays in the kernel's channel map until the app closes it, so the loop walks
     * the map without copying it.
     */
    void dropChannelsOn(long networkHandle, MvClosureReason reason, long now) {
        for (Channel channel : state.channels.values()) {
            if (channel.networkHandle == networkHandle) {
                drop(channel, reason, now);
            }
        }
    }

    void dropAll(MvClosureReason reason, long now) {
        for (Channel channel : state.channels.values()) {
            drop(channel, reason, now);
        }
    }

    /** Closes the channel from the kernel's side; the handle stays live until the app closes it. */
    void drop(Channel channel, MvClosureReason reason, long now) {
        if (channel.isClosed()) {
            return;
        }
        channel.closureReason = reason;
        if (channel.fetchState == Channel.FetchState.PENDING) {
            channel.pendingResponse.cancel();
            channel.fetchState = Channel.FetchState.FAILED;
            state.fetchesFailed++;
        }
        state.post(channel.notificationHandle, MvEventType.CHANNELNOTCONNECTED, channel.tag, now);
    }

    /**
     * Returns what the channel limit and the rate limit allow at {@code now}, without changing
     * either. The rate window holds only successful opens, so it never names more than
     * {@link #MAX_OPENS_PER_WINDOW} times.
     */
    ChannelOpenBudget openBudget(long now) {
        List<Long> inWindow = new ArrayList<>(recentOpens.size());
        for (long openedAt : recentOpens) {
            if (openedAt > now - RATE_WINDOW_MICROS) {
                inWindow.add(openedAt);
            }
        }
        int free = Math.max(0, MAX_OPEN_CHANNELS - state.channels.size());
        return new ChannelOpenBudget(free, MAX_OPENS_PER_WINDOW, RATE_WINDOW_MICROS, inWindow);
    }

    private static boolean isWholeUnits(AppBuffer buffer) {
        long size = buffer.unsignedSize();
        return size >= BUFFER_UNIT && size % BUFFER_UNIT == 0;
    }

    /** Applies the vendor's limit of 8 opens in a rolling second; only successful opens count. */
    private boolean isRateLimited(long now) {
        while (!recentOpens.isEmpty() && recentOpens.peekFirst() <= now - RATE_WINDOW_MICROS) {
            recentOpens.removeFirst();
        }
        return recentOpens.size() >= MAX_OPENS_PER_WINDOW;
    }
}
