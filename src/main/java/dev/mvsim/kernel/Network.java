package dev.mvsim.kernel;

import static dev.mvsim.kernel.MvStatus.*;

import dev.mvsim.link.DownWindow;
import dev.mvsim.link.Durations;
import dev.mvsim.link.FaultPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The device's connection to the cloud and the app's network requests. The device boots offline
 * (DELIBERATELYOFFLINE). The first request moves it to CONNECTING, and the fault plan's connect
 * delay later to CONNECTED, unless a down window delays it. Every status change notifies every
 * live request's centre with that request's tag; a request made while the status stays the same
 * gets no notification, so firmware must poll.
 */
final class Network {

    private final KernelState state;
    private final Channels channels;
    private final Logs logs;
    private final FaultPlan plan;
    private final Map<Long, NetworkRequest> requests = new LinkedHashMap<>();

    private MvNetworkStatus status = MvNetworkStatus.DELIBERATELYOFFLINE;
    private boolean everRequested;
    private boolean timeSet;
    private boolean heldDown;
    private Scheduler.Task pendingConnect;
    /** Bumped whenever a request is added or removed or the status changes, so observers can skip unchanged states. */
    private long revision;

    Network(KernelState state, Channels channels, Logs logs) {
        this.state = state;
        this.channels = channels;
        this.logs = logs;
        this.plan = state.link.plan();
        for (DownWindow window : plan.downWindows()) {
            state.scheduler.schedule(window.fromMicros(), this::linkDown);
        }
    }

    MvNetworkStatus status() {
        return status;
    }

    long revision() {
        return revision;
    }

    /** Returns the handles of the live requests, in request order. */
    List<Long> requestHandles() {
        return new ArrayList<>(requests.keySet());
    }

    /** Returns the status {@code mvGetNetworkStatus} would write for each live request handle, in request order. */
    Map<Long, MvNetworkStatus> requestStatuses() {
        Map<Long, MvNetworkStatus> statuses = new LinkedHashMap<>();
        for (Long handle : requests.keySet()) {
            statuses.put(handle, status);
        }
        return statuses;
    }

    /**
     * Returns the status {@code mvGetNetworkStatus} returns for a request made now, in a call at
     * the same clock time. Due events must have run. A device with live requests keeps its status.
     * An offline one goes to CONNECTING, and on to CONNECTED in the next call when the connect
     * delay is zero and the link is up now, because that call runs the connect that is then due.
     */
    MvNetworkStatus statusOfNewRequest(long now) {
        return status != MvNetworkStatus.DELIBERATELYOFFLINE ? status : statusOfRequestWhileOffline(now);
    }

    /** Returns what {@link #statusOfNewRequest} would return if the app had released every request first. */
    MvNetworkStatus statusOfRequestWhileOffline(long now) {
        long connectAt = plan.upAgainAt(now) + Durations.toMicros(plan.connectDelay());
        boolean connectsAtOnce = connectAt <= now && !heldDown && !plan.isDownAt(now);
        return connectsAtOnce ? MvNetworkStatus.CONNECTED : MvNetworkStatus.CONNECTING;
    }

    /**
     * Returns when the down window covering {@code now} ends, or {@link Long#MAX_VALUE} when none
     * does. A window's start is a scheduled event, its end is not, yet a request made after the
     * end connects sooner.
     */
    long downWindowEnd(long now) {
        return plan.isDownAt(now) ? plan.upAgainAt(now) : Long.MAX_VALUE;
    }

    /** Returns true when the request handle names a live request and the device is connected. */
    boolean isUsable(long networkHandle) {
        return status == MvNetworkStatus.CONNECTED && requests.containsKey(networkHandle);
    }

    /**
     * Registers a network request. A notification handle that names no centre is a wrong field of
     * {@code params}, which the vendor reports as PARAMETERFAULT for this call.
     */
    MvStatus request(MvRequestNetworkParams params, Out.Handle handleOut) {
        if (params == null || handleOut == null) {
            return PARAMETERFAULT;
        }
        if (params.version() != 1) {
            return UNSUPPORTEDSTRUCTUREVERSION;
        }
        if (state.handles.get(params.notificationHandle(), NotificationCentre.class) == null) {
            return PARAMETERFAULT;
        }

        long handle = state.newAppHandle();
        NetworkRequest request = new NetworkRequest(handle, params.notificationHandle(), params.notificationTag());
        state.handles.bind(handle, request);
        requests.put(handle, request);
        revision++;
        everRequested = true;
        handleOut.value = handle;

        if (status == MvNetworkStatus.DELIBERATELYOFFLINE) {
            long now = state.now();
            changeStatus(MvNetworkStatus.CONNECTING, now);
            scheduleConnect(now);
        }
        return OKAY;
    }

    /**
     * Registers a request under {@code handle}, which the caller checked is free, for a request the
     * app made from another kernel. An offline device goes to CONNECTING without a record, because
     * the app's side wrote the records of the lost connection already, and connects after the
     * connect delay as usual.
     */
    MvStatus restore(long handle, long notificationHandle, int tag) {
        if (state.handles.get(notificationHandle, NotificationCentre.class) == null) {
            return PARAMETERFAULT;
        }
        NetworkRequest request = new NetworkRequest(handle, notificationHandle, tag);
        state.handles.bind(handle, request);
        requests.put(handle, request);
        revision++;
        everRequested = true;
        if (status == MvNetworkStatus.DELIBERATELYOFFLINE) {
            status = MvNetworkStatus.CONNECTING;
            scheduleConnect(state.now());
        }
        return OKAY;
    }

    /**
     * Releases a request. Channels opened on it lose their connection (NETWORKDISCONNECTED); when no
     * request is left the device goes offline.
     */
    MvStatus release(Out.Handle handleInOut) {
        if (handleInOut == null) {
            return PARAMETERFAULT;
        }
        NetworkRequest request = state.handles.get(handleInOut.value, NetworkRequest.class);
        if (request == null) {
            return INVALIDHANDLE;
        }

        long now = state.now();
        state.handles.remove(request.handle);
        requests.remove(request.handle);
        revision++;
        channels.dropChannelsOn(request.handle, MvClosureReason.NETWORKDISCONNECTED, now);
        if (requests.isEmpty()) {
            cancelPendingConnect();
            status = MvNetworkStatus.DELIBERATELYOFFLINE;
        }
        handleInOut.value = 0;
        return OKAY;
    }

    MvStatus getStatus(long handle, Out.Value<MvNetworkStatus> statusOut) {
        if (statusOut == null) {
            return PARAMETERFAULT;
        }
        if (state.handles.get(handle, NetworkRequest.class) == null) {
            return INVALIDHANDLE;
        }
        statusOut.value = status;
        return OKAY;
    }

    MvStatus getReasons(Out.U32 reasonsOut, Out.U32 countOut) {
        if (reasonsOut == null || countOut == null) {
            return PARAMETERFAULT;
        }
        reasonsOut.value = reasons();
        countOut.value = requests.size();
        return OKAY;
    }

    MvStatus getWallTime(Out.U64 out) {
        if (out == null) {
            return PARAMETERFAULT;
        }
        if (!timeSet) {
            return TIMENOTSET;
        }
        out.value = state.config.wallTimeAtBootMicros() + state.now();
        return OKAY;
    }

    private int reasons() {
        if (!everRequested) {
            return MvNetworkReason.NEVERUSEDNETWORKAPI;
        }
        return requests.isEmpty() ? MvNetworkReason.NOTCONNECTING : MvNetworkReason.USINGNETWORK;
    }

    /** Holds the link down until released, on top of the fault plan's down windows. */
    void holdDown(boolean down, long now) {
        if (down == heldDown) {
            return;
        }
        heldDown = down;
        if (down) {
            linkDown(now);
        } else if (status == MvNetworkStatus.CONNECTING) {
            scheduleConnect(now);
        }
    }

    /** Schedules CONNECTED after the connect delay, counted from the end of any down window covering {@code from}. */
    private void scheduleConnect(long from) {
        cancelPendingConnect();
        long at = plan.upAgainAt(from) + Durations.toMicros(plan.connectDelay());
        pendingConnect = state.scheduler.schedule(at, this::connectNow);
    }

    private void connectNow(long now) {
        pendingConnect = null;
        if (requests.isEmpty() || status != MvNetworkStatus.CONNECTING) {
            return;
        }
        if (heldDown) {
            // Releasing the hold schedules the connect again. Rescheduling here would put it at
            // this same time when the connect delay is zero, and the scheduler would never finish.
            return;
        }
        if (plan.isDownAt(now)) {
            scheduleConnect(now);
            return;
        }
        timeSet = true;
        changeStatus(MvNetworkStatus.CONNECTED, now);
        logs.onConnected();
    }

    private void linkDown(long now) {
        if (status == MvNetworkStatus.CONNECTING && pendingConnect != null) {
            // The attempt under way fails with the link; the next one starts once the link is back.
            scheduleConnect(now);
            return;
        }
        if (status != MvNetworkStatus.CONNECTED) {
            return;
        }
        changeStatus(MvNetworkStatus.CONNECTING, now);
        channels.dropAll(MvClosureReason.NETWORKDISCONNECTED, now);
        scheduleConnect(now);
    }

    private void changeStatus(MvNetworkStatus next, long now) {
        if (next == status) {
            return;
        }
        status = next;
        revision++;
        List<NetworkRequest> toNotify = new ArrayList<>(requests.values());
        for (NetworkRequest request : toNotify) {
            state.post(request.notificationHandle, MvEventType.NETWORKSTATUSCHANGED, request.tag, now);
        }
    }

    private void cancelPendingConnect() {
        if (pendingConnect != null) {
            pendingConnect.cancel();
            pendingConnect = null;
        }
    }
}
