package dev.mvsim.host;

import dev.mvsim.kernel.AppBuffer;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvClosureReason;
import dev.mvsim.kernel.MvConfigKeyFetchParams;
import dev.mvsim.kernel.MvConfigKeyFetchResult;
import dev.mvsim.kernel.MvConfigKeyToFetch;
import dev.mvsim.kernel.MvConfigResponseData;
import dev.mvsim.kernel.MvConfigResponseReadItemParams;
import dev.mvsim.kernel.MvNetworkStatus;
import dev.mvsim.kernel.MvNotificationSetup;
import dev.mvsim.kernel.MvOpenChannelParams;
import dev.mvsim.kernel.MvRequestNetworkParams;
import dev.mvsim.kernel.MvSizedString;
import dev.mvsim.kernel.MvSizedStringBuffer;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.Out;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.Opcode;
import dev.mvsim.wire.WireLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns one syscall request into the matching {@link DeviceKernel} call and its response frame.
 *
 * <p>An absent pointer becomes a null holder, so the kernel picks the documented status. An output
 * travels only when the app passed a pointer for it and the kernel wrote it: on OKAY, and for
 * {@code mvReadConfigResponseItem} also on INVALIDBUFFERSIZE, where the kernel sets the result and
 * the full length. Every other output is {@link Field.None}, and the C library leaves the app's
 * variable alone.
 */
final class SyscallDispatcher {

    /**
     * Largest value buffer the dispatcher mirrors on the Java side. Item values are at most 4096
     * bytes, and half the payload maximum leaves room for the other outputs of the response.
     */
    static final int MAX_VALUE_BYTES = WireLimits.MAX_PAYLOAD_BYTES / 2;

    private static final int DEVICE_ID_BYTES = 34;

    private final DeviceKernel kernel;

    SyscallDispatcher(DeviceKernel kernel) {
        this.kernel = kernel;
    }

    Frame.Response dispatch(Frame.Request request) {
        ArgumentReader in = new ArgumentReader(request.arguments());
        Opcode opcode = request.opcode();
        Result result = switch (opcode) {
            case MV_GET_MICROSECONDS -> getMicroseconds(in);
            case MV_GET_WALL_TIME -> getWallTime(in);
            case MV_GET_DEVICE_ID -> getDeviceId(in);
            case MV_SETUP_NOTIFICATIONS -> setupNotifications(in);
            case MV_CLOSE_NOTIFICATIONS -> closeHandle(in, kernel::mvCloseNotifications);
            case MV_REQUEST_NETWORK -> requestNetwork(in);
            case MV_RELEASE_NETWORK -> closeHandle(in, kernel::mvReleaseNetwork);
            case MV_GET_NETWORK_STATUS -> getNetworkStatus(in);
            case MV_GET_NETWORK_REASONS -> getNetworkReasons(in);
            case MV_OPEN_CHANNEL -> openChannel(in);
            case MV_CLOSE_CHANNEL -> closeHandle(in, kernel::mvCloseChannel);
            case MV_GET_CHANNEL_CLOSURE_REASON -> getChannelClosureReason(in);
            case MV_SEND_CONFIG_FETCH_REQUEST -> sendConfigFetchRequest(in);
            case MV_READ_CONFIG_FETCH_RESPONSE_DATA -> readConfigFetchResponseData(in);
            case MV_READ_CONFIG_RESPONSE_ITEM -> readConfigResponseItem(in);
            case MV_SERVER_LOGGING_INIT -> new Result(kernel.mvServerLoggingInit(in.buffer()));
            case MV_SERVER_LOG -> log(in, kernel::mvServerLog);
            case MV_TEST_LOGGING_INIT -> new Result(kernel.mvTestLoggingInit(in.buffer()));
            case MV_TEST_LOG -> log(in, kernel::mvTestLog);
            case MV_TESTING_COMPLETE -> new Result(kernel.mvTestingComplete(in.u32()));
            default -> outOfScope(opcode);
        };
        return new Frame.Response(request.sequence(), opcode, result.status.code(), result.outputs);
    }

    /** A status and the outputs in response-schema order. */
    private record Result(MvStatus status, List<Field> outputs) {
        Result(MvStatus status, Field... outputs) {
            this(status, List.of(outputs));
        }
    }

    @FunctionalInterface
    private interface HandleCall {
        MvStatus call(Out.Handle handle);
    }

    @FunctionalInterface
    private interface LogCall {
        MvStatus call(byte[] message, int lengthBytes);
    }

    // ---- clocks and identity ----

    private Result getMicroseconds(ArgumentReader in) {
        Out.U64 now = in.pointer().present() ? new Out.U64() : null;
        MvStatus status = kernel.mvGetMicroseconds(now);
        return new Result(status, u64If(status, now == null ? null : now.value));
    }

    private Result getWallTime(ArgumentReader in) {
        Out.U64 now = in.pointer().present() ? new Out.U64() : null;
        MvStatus status = kernel.mvGetWallTime(now);
        return new Result(status, u64If(status, now == null ? null : now.value));
    }

    private Result getDeviceId(ArgumentReader in) {
        AppBuffer buffer = in.buffer();
        byte[] target = new byte[DEVICE_ID_BYTES];
        MvStatus status = kernel.mvGetDeviceId(buffer, target);
        return new Result(status, status == MvStatus.OKAY ? new Field.Bytes(target) : Field.None.INSTANCE);
    }

    // ---- notifications ----

    private Result setupNotifications(ArgumentReader in) {
        boolean setupPresent = in.pointer().present();
        int irq = in.u32();
        AppBuffer ring = in.buffer();
        Out.Handle handle = in.pointer().present() ? new Out.Handle() : null;

        MvNotificationSetup setup = setupPresent ? new MvNotificationSetup(irq, ring) : null;
        MvStatus status = kernel.mvSetupNotifications(setup, handle);
        return new Result(status, u64If(status, handle == null ? null : handle.value));
    }

    /** The close and release calls: a pointer to the handle, then the handle the app holds there. */
    private Result closeHandle(ArgumentReader in, HandleCall call) {
        boolean present = in.pointer().present();
        long current = in.u64();
        Out.Handle handle = present ? new Out.Handle(current) : null;
        MvStatus status = call.call(handle);
        return new Result(status, u64If(status, handle == null ? null : handle.value));
    }

    // ---- network ----

    private Result requestNetwork(ArgumentReader in) {
        boolean paramsPresent = in.pointer().present();
        int version = in.u32();
        long notificationHandle = in.u64();
        int tag = in.u32();
        Out.Handle handle = in.pointer().present() ? new Out.Handle() : null;

        MvRequestNetworkParams params = paramsPresent ? new MvRequestNetworkParams(version, notificationHandle, tag) : null;
        MvStatus status = kernel.mvRequestNetwork(params, handle);
        return new Result(status, u64If(status, handle == null ? null : handle.value));
    }

    private Result getNetworkStatus(ArgumentReader in) {
        long handle = in.u64();
        Out.Value<MvNetworkStatus> networkStatus = in.pointer().present() ? new Out.Value<>() : null;
        MvStatus status = kernel.mvGetNetworkStatus(handle, networkStatus);
        return new Result(status, u32If(status, networkStatus == null || networkStatus.value == null
                ? null : networkStatus.value.code()));
    }

    private Result getNetworkReasons(ArgumentReader in) {
        Out.U32 reasons = in.pointer().present() ? new Out.U32() : null;
        Out.U32 requestCount = in.pointer().present() ? new Out.U32() : null;
        MvStatus status = kernel.mvGetNetworkReasons(reasons, requestCount);
        return new Result(status,
                u32If(status, reasons == null ? null : reasons.value),
                u32If(status, requestCount == null ? null : requestCount.value));
    }

    // ---- channels ----

    private Result openChannel(ArgumentReader in) {
        boolean paramsPresent = in.pointer().present();
        int version = in.u32();
        long notificationHandle = in.u64();
        int tag = in.u32();
        long networkHandle = in.u64();
        AppBuffer receiveBuffer = in.buffer();
        AppBuffer sendBuffer = in.buffer();
        int channelType = in.u32();
        MvSizedString endpoint = in.sizedString();
        Out.Handle handle = in.pointer().present() ? new Out.Handle() : null;

        MvOpenChannelParams params = paramsPresent
                ? new MvOpenChannelParams(version, notificationHandle, tag, networkHandle, receiveBuffer, sendBuffer,
                        channelType, endpoint)
                : null;
        MvStatus status = kernel.mvOpenChannel(params, handle);
        return new Result(status, u64If(status, handle == null ? null : handle.value));
    }

    private Result getChannelClosureReason(ArgumentReader in) {
        long handle = in.u64();
        Out.Value<MvClosureReason> reason = in.pointer().present() ? new Out.Value<>() : null;
        MvStatus status = kernel.mvGetChannelClosureReason(handle, reason);
        return new Result(status, u32If(status, reason == null || reason.value == null ? null : reason.value.code()));
    }

    // ---- config fetch ----

    private Result sendConfigFetchRequest(ArgumentReader in) {
        long handle = in.u64();
        boolean requestPresent = in.pointer().present();
        int numItems = in.u32();
        boolean keysPresent = in.pointer().present();
        List<List<Field>> elements = in.list();

        MvConfigKeyFetchParams request = null;
        if (requestPresent) {
            request = new MvConfigKeyFetchParams(numItems, keysPresent ? keys(elements) : null);
        }
        return new Result(kernel.mvSendConfigFetchRequest(handle, request));
    }

    private static MvConfigKeyToFetch[] keys(List<List<Field>> elements) {
        List<MvConfigKeyToFetch> keys = new ArrayList<>(elements.size());
        for (List<Field> element : elements) {
            ArgumentReader key = new ArgumentReader(element);
            int scope = key.u32();
            int store = key.u32();
            keys.add(new MvConfigKeyToFetch(scope, store, key.sizedString()));
        }
        return keys.toArray(MvConfigKeyToFetch[]::new);
    }

    private Result readConfigFetchResponseData(ArgumentReader in) {
        long handle = in.u64();
        MvConfigResponseData response = in.pointer().present() ? new MvConfigResponseData() : null;
        MvStatus status = kernel.mvReadConfigFetchResponseData(handle, response);
        if (status != MvStatus.OKAY || response == null) {
            return new Result(status, Field.None.INSTANCE, Field.None.INSTANCE);
        }
        return new Result(status, new Field.U32(response.result.code()), new Field.U32(response.numItems));
    }

    private Result readConfigResponseItem(ArgumentReader in) {
        long handle = in.u64();
        boolean paramsPresent = in.pointer().present();
        int itemIndex = in.u32();
        Out.Value<MvConfigKeyFetchResult> result = in.pointer().present() ? new Out.Value<>() : null;
        AppBuffer data = in.buffer();
        Out.U32 length = in.pointer().present() ? new Out.U32() : null;

        byte[] target = new byte[(int) Math.min(data.unsignedSize(), MAX_VALUE_BYTES)];
        MvConfigResponseReadItemParams params = paramsPresent
                ? new MvConfigResponseReadItemParams(itemIndex, result, new MvSizedStringBuffer(data, target, length))
                : null;
        MvStatus status = kernel.mvReadConfigResponseItem(handle, params);

        boolean wroteResult = status == MvStatus.OKAY || status == MvStatus.INVALIDBUFFERSIZE;
        Field resultField = wroteResult && result != null && result.value != null
                ? new Field.U32(result.value.code()) : Field.None.INSTANCE;
        Field lengthField = wroteResult && length != null ? new Field.U32(length.value) : Field.None.INSTANCE;
        Field valueField = status == MvStatus.OKAY && length != null
                ? new Field.Bytes(Arrays.copyOf(target, length.value)) : Field.None.INSTANCE;
        return new Result(status, resultField, valueField, lengthField);
    }

    // ---- logging ----

    private Result log(ArgumentReader in, LogCall call) {
        boolean present = in.pointer().present();
        int length = in.u32();
        byte[] message = in.bytes();
        return new Result(call.call(present ? message : null, length));
    }

    /** Passes a syscall the kernel does not model to the kernel, which decides its status; it writes no outputs. */
    private Result outOfScope(Opcode opcode) {
        List<Field> outputs = new ArrayList<>();
        for (int i = 0; i < opcode.responseSchema().size(); i++) {
            outputs.add(Field.None.INSTANCE);
        }
        return new Result(kernel.unmodelledCall(opcode.cName()), outputs);
    }

    private static Field u64If(MvStatus status, Long value) {
        return status == MvStatus.OKAY && value != null ? new Field.U64(value) : Field.None.INSTANCE;
    }

    private static Field u32If(MvStatus status, Integer value) {
        return status == MvStatus.OKAY && value != null ? new Field.U32(value) : Field.None.INSTANCE;
    }
}
