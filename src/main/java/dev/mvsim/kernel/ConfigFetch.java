package dev.mvsim.kernel;

import static dev.mvsim.kernel.MvStatus.*;

import dev.mvsim.link.ItemLookup;
import dev.mvsim.link.ItemRef;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code mvSendConfigFetchRequest}, the response's arrival, {@code mvReadConfigFetchResponseData}
 * and {@code mvReadConfigResponseItem}. The kernel queries the cloud when the response arrives, one
 * link latency after the send, so a fetch returns the store as it is at arrival.
 */
final class ConfigFetch {

    /** Maximum key length the REST API stores. Longer keys can never be found, so the kernel rejects them. */
    static final int MAX_KEY_LENGTH = 100;

    private final KernelState state;
    private int fetchOrdinal;

    ConfigFetch(KernelState state) {
        this.state = state;
    }

    MvStatus send(long handle, MvConfigKeyFetchParams request) {
        if (request == null) {
            return PARAMETERFAULT;
        }
        Channel channel = state.handles.get(handle, Channel.class);
        if (channel == null) {
            return INVALIDHANDLE;
        }
        if (channel.isClosed()) {
            return CHANNELCLOSED;
        }
        if (channel.fetchState != Channel.FetchState.NOT_SENT) {
            return REQUESTALREADYSENT;
        }

        long count = Integer.toUnsignedLong(request.numItems());
        if (count > state.config.maxConfigKeys()) {
            return TOOMANYCONFIGKEYS;
        }
        MvConfigKeyToFetch[] keys = request.keysToFetch();
        if (count > 0 && (keys == null || keys.length < count || hasUnreadableKey(keys, (int) count))) {
            // The kernel found the bad pointer while reading the request, after taking the channel's one request.
            channel.fetchState = Channel.FetchState.FAILED;
            channel.closureReason = MvClosureReason.UNEXPECTEDLYTERMINATED;
            return LATEFAULT;
        }

        List<ItemRef> items = new ArrayList<>((int) count);
        long encodedBytes = SizeModel.REQUEST_HEADER_BYTES;
        for (int i = 0; i < count; i++) {
            MvConfigKeyToFetch key = keys[i];
            ItemScope scope = ItemScope.fromWireValue(Integer.toUnsignedLong(key.scope()));
            if (scope == null) {
                return UNKNOWNCONFIGSCOPE;
            }
            ItemStore store = ItemStore.fromWireValue(Integer.toUnsignedLong(key.store()));
            if (store == null) {
                return UNKNOWNCONFIGSTORE;
            }
            if (!isValidKey(key.key())) {
                return INVALIDCONFIGKEY;
            }
            items.add(new ItemRef(scope, store, new String(key.key().data(), 0, key.key().length(),
                    StandardCharsets.US_ASCII)));
            encodedBytes += SizeModel.REQUEST_KEY_OVERHEAD_BYTES + key.key().length();
        }
        if (encodedBytes > channel.sendBuffer.unsignedSize()) {
            return INVALIDBUFFERSIZE;
        }

        long latency = state.link.sampleLatencyMicros(state.random);
        int ordinal = ++fetchOrdinal;
        channel.requestedItems = List.copyOf(items);
        channel.fetchState = Channel.FetchState.PENDING;
        channel.pendingResponse = state.scheduler.schedule(state.now() + latency,
                arrival -> arrive(channel, ordinal, arrival));
        state.fetchesSent++;
        return OKAY;
    }

    MvStatus readResponseData(long handle, MvConfigResponseData out) {
        if (out == null) {
            return PARAMETERFAULT;
        }
        Channel channel = state.handles.get(handle, Channel.class);
        if (channel == null) {
            return INVALIDHANDLE;
        }
        if (channel.isClosed()) {
            return CHANNELCLOSED;
        }
        if (channel.fetchState != Channel.FetchState.ARRIVED) {
            return RESPONSENOTPRESENT;
        }
        out.result = channel.response.result();
        out.numItems = channel.response.items().size();
        return OKAY;
    }

    /**
     * Reads one item. A value longer than the caller's buffer gives INVALIDBUFFERSIZE: nothing is
     * written into the buffer, {@code *result} is set and {@code *length} receives the value's full
     * length, so firmware can size its buffer and read again.
     */
    MvStatus readItem(long handle, MvConfigResponseReadItemParams params) {
        if (params == null || params.result() == null || params.buf() == null
                || params.buf().length() == null || params.buf().data() == null
                || params.buf().data().isNull() || params.buf().data().wrapsAround()) {
            return PARAMETERFAULT;
        }
        Channel channel = state.handles.get(handle, Channel.class);
        if (channel == null) {
            return INVALIDHANDLE;
        }
        if (channel.isClosed()) {
            return CHANNELCLOSED;
        }
        if (channel.fetchState != Channel.FetchState.ARRIVED) {
            return RESPONSENOTPRESENT;
        }
        long index = Integer.toUnsignedLong(params.itemIndex());
        List<ConfigResponse.Item> items = channel.response.items();
        if (index >= items.size()) {
            return INDEXINVALID;
        }

        ConfigResponse.Item item = items.get((int) index);
        params.result().value = item.result();
        if (item.value() == null) {
            params.buf().length().value = 0;
            return OKAY;
        }
        params.buf().length().value = item.value().length;
        byte[] target = params.buf().target();
        if (item.value().length > params.buf().data().unsignedSize()) {
            return INVALIDBUFFERSIZE;
        }
        if (target == null || target.length < item.value().length) {
            throw new IllegalArgumentException("target byte array has " + (target == null ? "no" : target.length)
                    + " bytes, fewer than the buffer size " + params.buf().data().unsignedSize()
                    + " the caller declared; pass an array at least as long as the buffer");
        }
        System.arraycopy(item.value(), 0, target, 0, item.value().length);
        return OKAY;
    }

    /** Returns the arrived responses of the open channels that notify {@code centreHandle} with {@code tag}. */
    List<ArrivedConfigResponse> arrived(long centreHandle, int tag) {
        List<ArrivedConfigResponse> responses = new ArrayList<>();
        for (Channel channel : state.channels.values()) {
            if (channel.notificationHandle != centreHandle || channel.tag != tag || channel.isClosed()
                    || channel.fetchState != Channel.FetchState.ARRIVED) {
                continue;
            }
            List<ArrivedConfigResponse.Item> items = new ArrayList<>(channel.response.items().size());
            for (ConfigResponse.Item item : channel.response.items()) {
                byte[] value = item.value() == null ? new byte[0] : item.value();
                items.add(new ArrivedConfigResponse.Item(item.result(), value));
            }
            responses.add(new ArrivedConfigResponse(channel.handle, channel.response.result(), items));
        }
        return responses;
    }

    private void arrive(Channel channel, int ordinal, long now) {
        channel.pendingResponse = null;
        List<ItemLookup> lookups = state.link.fetch(state.deviceSid, channel.requestedItems);

        List<ConfigResponse.Item> items = new ArrayList<>(lookups.size());
        long encodedBytes = SizeModel.RESPONSE_HEADER_BYTES;
        for (ItemLookup lookup : lookups) {
            ConfigResponse.Item item;
            if (lookup instanceof ItemLookup.Found found) {
                item = new ConfigResponse.Item(MvConfigKeyFetchResult.OK, found.value().clone());
            } else if (lookup instanceof ItemLookup.NotFound) {
                item = new ConfigResponse.Item(MvConfigKeyFetchResult.KEYNOTFOUND, null);
            } else {
                item = new ConfigResponse.Item(MvConfigKeyFetchResult.SERVERERROR, null);
            }
            items.add(item);
            encodedBytes += SizeModel.RESPONSE_ITEM_OVERHEAD_BYTES + (item.value() == null ? 0 : item.value().length);
        }

        if (state.link.plan().forcesResponseTooLarge(ordinal) || encodedBytes > channel.receiveBuffer.unsignedSize()) {
            channel.response = new ConfigResponse(MvConfigFetchResult.RESPONSETOOLARGE, List.of());
            for (ConfigResponse.Item item : items) {
                if (item.value() != null) {
                    Arrays.fill(item.value(), (byte) 0);
                }
            }
        } else {
            channel.response = new ConfigResponse(MvConfigFetchResult.OK, List.copyOf(items));
        }
        channel.fetchState = Channel.FetchState.ARRIVED;
        state.fetchesArrived++;
        state.post(channel.notificationHandle, MvEventType.CHANNELDATAREADABLE, channel.tag, now);
    }

    private static boolean hasUnreadableKey(MvConfigKeyToFetch[] keys, int count) {
        for (int i = 0; i < count; i++) {
            if (keys[i] == null || keys[i].key() == null || !keys[i].key().isReadable()) {
                return true;
            }
        }
        return false;
    }

    /** Accepts 1 to 100 bytes of printable ASCII, 0x20 (space) to 0x7E. */
    private static boolean isValidKey(MvSizedString key) {
        int length = key.length();
        if (length < 1 || length > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            int b = key.data()[i] & 0xFF;
            if (b < 0x20 || b > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
