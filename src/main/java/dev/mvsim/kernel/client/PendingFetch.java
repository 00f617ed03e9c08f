package dev.mvsim.kernel.client;

import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvConfigFetchResult;
import dev.mvsim.kernel.MvConfigKeyFetchParams;
import dev.mvsim.kernel.MvConfigKeyFetchResult;
import dev.mvsim.kernel.MvConfigKeyToFetch;
import dev.mvsim.kernel.MvConfigResponseData;
import dev.mvsim.kernel.MvConfigResponseReadItemParams;
import dev.mvsim.kernel.MvOpenChannelParams;
import dev.mvsim.kernel.MvSizedString;
import dev.mvsim.kernel.MvSizedStringBuffer;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.Out;
import dev.mvsim.link.ItemRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One config fetch in flight: its own channel, opened and requested by {@link DeviceClient#fetch}.
 * It ends when its channel's notification arrives, when a call rejects it, or when a wait times
 * out. By then the client has read every item and closed the channel.
 */
public final class PendingFetch {

    private final DeviceClient client;
    private final DeviceKernel kernel;
    private final List<ItemRef> items;
    private final int valueBufferSize;
    private final Out.Handle channel = new Out.Handle();
    private FetchResult result;

    PendingFetch(DeviceClient client, List<ItemRef> items, int valueBufferSize) {
        this.client = client;
        this.kernel = client.kernel();
        this.items = items;
        this.valueBufferSize = valueBufferSize;
    }

    void start(MvOpenChannelParams params) {
        MvStatus opened = kernel.mvOpenChannel(params, channel);
        if (opened != MvStatus.OKAY) {
            result = new FetchResult(FetchOutcome.REJECTED, opened, List.of());
            return;
        }
        MvConfigKeyToFetch[] keys = new MvConfigKeyToFetch[items.size()];
        for (int i = 0; i < keys.length; i++) {
            ItemRef ref = items.get(i);
            keys[i] = new MvConfigKeyToFetch(ref.scope().ordinal(), ref.store().ordinal(), MvSizedString.of(ref.key()));
        }
        MvStatus sent = kernel.mvSendConfigFetchRequest(channel.value, new MvConfigKeyFetchParams(keys.length, keys));
        if (sent != MvStatus.OKAY) {
            finish(FetchOutcome.REJECTED, sent, List.of());
        }
    }

    public boolean isDone() {
        return result != null;
    }

    /** Delivers due events without moving the clock and returns whether the fetch is done. */
    public boolean poll() {
        kernel.poll();
        client.pump();
        return isDone();
    }

    /** Runs the clock until the fetch is done, for at most {@link DeviceClient#DEFAULT_WAIT} of device time. */
    public FetchResult await() {
        return await(DeviceClient.DEFAULT_WAIT);
    }

    /**
     * Runs the clock until the fetch is done or {@code timeout} of device time has passed; on a
     * timeout the fetch ends as TIMED_OUT and its channel is closed.
     */
    public FetchResult await(Duration timeout) {
        if (!isDone()) {
            kernel.runUntil(() -> {
                client.pump();
                return isDone();
            }, timeout);
        }
        if (!isDone()) {
            client.forget(this);
            finish(FetchOutcome.TIMED_OUT, MvStatus.OKAY, List.of());
        }
        return result;
    }

    /** Returns the result, or throws when the fetch is not done yet. */
    public FetchResult result() {
        if (result == null) {
            throw new IllegalStateException("fetch of " + items.size() + " items is still pending; call await() or poll()");
        }
        return result;
    }

    void onReadable() {
        MvConfigResponseData data = new MvConfigResponseData();
        MvStatus status = kernel.mvReadConfigFetchResponseData(channel.value, data);
        if (status != MvStatus.OKAY) {
            finish(FetchOutcome.REJECTED, status, List.of());
            return;
        }
        if (data.result == MvConfigFetchResult.RESPONSETOOLARGE) {
            finish(FetchOutcome.RESPONSE_TOO_LARGE, MvStatus.OKAY, List.of());
            return;
        }

        List<FetchedItem> read = new ArrayList<>(data.numItems);
        for (int i = 0; i < data.numItems; i++) {
            read.add(readItem(i));
        }
        finish(FetchOutcome.OK, MvStatus.OKAY, read);
    }

    void onNotConnected() {
        finish(FetchOutcome.CHANNEL_NOT_CONNECTED, MvStatus.CHANNELCLOSED, List.of());
    }

    private FetchedItem readItem(int index) {
        Out.Value<MvConfigKeyFetchResult> itemResult = new Out.Value<>();
        Out.U32 length = new Out.U32();
        byte[] buffer = new byte[valueBufferSize];
        MvStatus status = kernel.mvReadConfigResponseItem(channel.value,
                new MvConfigResponseReadItemParams(index, itemResult, MvSizedStringBuffer.of(buffer, length)));

        byte[] value = null;
        if (status == MvStatus.OKAY && itemResult.value == MvConfigKeyFetchResult.OK) {
            value = Arrays.copyOf(buffer, length.value);
        }
        Arrays.fill(buffer, (byte) 0);
        ItemRef ref = index < items.size() ? items.get(index) : items.get(items.size() - 1);
        return new FetchedItem(ref, status, itemResult.value, value, length.value);
    }

    private void finish(FetchOutcome outcome, MvStatus status, List<FetchedItem> read) {
        if (channel.value != 0) {
            kernel.mvCloseChannel(channel);
        }
        result = new FetchResult(outcome, status, read);
    }
}
