package dev.mvsim.jna;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The syscalls of a config fetch made straight from a test, with the app's structs in native
 * memory at their x86-64 offsets (pointers and handles take 8 bytes, so every pointer member is
 * 8-aligned), as firmware compiled against mv_syscalls.h lays them out.
 */
final class AppCalls {

    /** {@code MV_CHANNELTYPE_CONFIGFETCH}. */
    static final int CHANNEL_TYPE_CONFIGFETCH = 3;
    /** An IRQ the app may use (TIM8_BRK); nothing enables it, so no handler runs. */
    static final int IRQ = 51;
    static final int TAG = 7;

    /** The mv* functions libmvhost exports, with handles as 64-bit values. */
    interface Syscalls extends Library {
        int mvSetupNotifications(Pointer setup, Pointer handleOut);

        int mvCloseNotifications(Pointer handleInOut);

        int mvRequestNetwork(Pointer params, Pointer handleOut);

        int mvReleaseNetwork(Pointer handleInOut);

        int mvGetNetworkStatus(long network, Pointer status);

        int mvOpenChannel(Pointer params, Pointer handleOut);

        int mvCloseChannel(Pointer handleInOut);

        int mvGetChannelClosureReason(long channel, Pointer reason);

        int mvSendConfigFetchRequest(long channel, Pointer request);

        int mvReadConfigFetchResponseData(long channel, Pointer responseData);

        int mvReadConfigResponseItem(long channel, Pointer params);
    }

    /** Bound with libmvhost's own open flags, so JNA reuses the library LibMvHost loaded. */
    static final Syscalls SYSCALLS;

    static {
        LibMvHost.load();
        SYSCALLS = Native.load(LibMvHost.LIBRARY_NAME, Syscalls.class,
                Map.of(Library.OPTION_OPEN_FLAGS, 0x100 | 0x001));
    }

    final Memory centre = handleSlot();
    final Memory network = handleSlot();
    final Memory channel = handleSlot();
    private final Memory ring = zeroed(8 * 16);
    private final Memory buffers = zeroed(4096);
    private final Memory emptyEndpoint = zeroed(1);
    private final Memory keyNames = zeroed(64);
    private final Memory keys = zeroed(2 * 24);

    int setupNotifications() {
        Memory setup = zeroed(24);
        setup.setInt(0, IRQ);
        setup.setPointer(8, ring);
        setup.setInt(16, (int) ring.size());
        return SYSCALLS.mvSetupNotifications(setup, centre);
    }

    int requestNetwork() {
        Memory params = zeroed(24);
        params.setInt(0, 1);
        params.setLong(8, centre.getLong(0));
        params.setInt(16, TAG);
        return SYSCALLS.mvRequestNetwork(params, network);
    }

    /** Opens a config-fetch channel with a 2048-byte receive and a 512-byte send buffer, both 512-aligned. */
    int openChannel() {
        Pointer receive = buffers.align(512);
        Memory params = zeroed(80);
        params.setInt(0, 1);
        params.setLong(8, centre.getLong(0));
        params.setInt(16, TAG);
        params.setLong(24, network.getLong(0));
        params.setPointer(32, receive);
        params.setInt(40, 2048);
        params.setPointer(48, receive.share(2048));
        params.setInt(56, 512);
        params.setInt(60, CHANNEL_TYPE_CONFIGFETCH);
        params.setPointer(64, emptyEndpoint);
        params.setInt(72, 0);
        return SYSCALLS.mvOpenChannel(params, channel);
    }

    /** Sends a fetch of account secrets by name, at most two of up to 31 bytes each. */
    int sendFetch(String... names) {
        for (int i = 0; i < names.length; i++) {
            byte[] name = names[i].getBytes(StandardCharsets.US_ASCII);
            Pointer text = keyNames.share(32L * i);
            text.write(0, name, 0, name.length);
            keys.setInt(24L * i, 0);
            keys.setInt(24L * i + 4, 0);
            keys.setPointer(24L * i + 8, text);
            keys.setInt(24L * i + 16, name.length);
        }
        Memory request = zeroed(16);
        request.setInt(0, names.length);
        request.setPointer(8, keys);
        return SYSCALLS.mvSendConfigFetchRequest(channelHandle(), request);
    }

    long channelHandle() {
        return channel.getLong(0);
    }

    /** Returns the event types in the ring's slots, 0 for a slot libmvhost never wrote or the app cleared. */
    int[] ringEventTypes() {
        int[] events = new int[(int) (ring.size() / 16)];
        for (int slot = 0; slot < events.length; slot++) {
            events[slot] = ring.getInt(16L * slot + 8);
        }
        return events;
    }

    static Memory handleSlot() {
        return zeroed(8);
    }

    static Memory zeroed(long size) {
        Memory memory = new Memory(size);
        memory.clear();
        return memory;
    }

    /** {@code struct MvConfigResponseReadItemParams} with its result, value buffer and length. */
    static final class ItemRead {
        final Memory params = zeroed(40);
        final Memory result = zeroed(4);
        final Memory value;
        final Memory length = zeroed(4);

        ItemRead(int index, int valueCapacity) {
            value = zeroed(valueCapacity);
            params.setInt(0, index);
            params.setPointer(8, result);
            params.setPointer(16, value);
            params.setInt(24, valueCapacity);
            params.setPointer(32, length);
        }

        String valueText() {
            return new String(value.getByteArray(0, length.getInt(0)), StandardCharsets.UTF_8);
        }
    }
}
