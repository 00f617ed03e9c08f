package dev.mvsim.wire;

import java.util.ArrayList;
import java.util.List;

/** Builds {@link Syscall} records from request fields whose types the decoder has checked. */
final class SyscallViews {

    private SyscallViews() {
    }

    static Syscall of(Opcode opcode, List<Field> fields) {
        FieldCursor in = new FieldCursor(fields);
        switch (opcode) {
            case MV_GET_MICROSECONDS:
                return new Syscall.GetMicroseconds(in.pointer());
            case MV_GET_WALL_TIME:
                return new Syscall.GetWallTime(in.pointer());
            case MV_GET_DEVICE_ID:
                return new Syscall.GetDeviceId(in.buffer());
            case MV_SETUP_NOTIFICATIONS:
                return new Syscall.SetupNotifications(in.pointer(), in.u32(), in.buffer(), in.pointer());
            case MV_CLOSE_NOTIFICATIONS:
            case MV_RELEASE_NETWORK:
            case MV_CLOSE_CHANNEL:
                return new Syscall.CloseHandle(opcode, in.pointer(), in.u64());
            case MV_REQUEST_NETWORK:
                return new Syscall.RequestNetwork(in.pointer(), in.u32(), in.u64(), in.u32(), in.pointer());
            case MV_GET_NETWORK_STATUS:
                return new Syscall.GetNetworkStatus(in.u64(), in.pointer());
            case MV_GET_NETWORK_REASONS:
                return new Syscall.GetNetworkReasons(in.pointer(), in.pointer());
            case MV_OPEN_CHANNEL:
                return new Syscall.OpenChannel(in.pointer(), in.u32(), in.u64(), in.u32(), in.u64(), in.buffer(),
                        in.buffer(), in.u32(), in.sizedString(), in.pointer());
            case MV_GET_CHANNEL_CLOSURE_REASON:
                return new Syscall.GetChannelClosureReason(in.u64(), in.pointer());
            case MV_SEND_CONFIG_FETCH_REQUEST:
                return new Syscall.SendConfigFetchRequest(in.u64(), in.pointer(), in.u32(), in.pointer(), in.configKeys());
            case MV_READ_CONFIG_FETCH_RESPONSE_DATA:
                return new Syscall.ReadConfigFetchResponseData(in.u64(), in.pointer());
            case MV_READ_CONFIG_RESPONSE_ITEM:
                return new Syscall.ReadConfigResponseItem(in.u64(), in.pointer(), in.u32(), in.pointer(), in.buffer(),
                        in.pointer());
            case MV_SERVER_LOGGING_INIT:
            case MV_TEST_LOGGING_INIT:
                return new Syscall.LoggingInit(opcode, in.buffer());
            case MV_SERVER_LOG:
            case MV_TEST_LOG:
                return new Syscall.Log(opcode, in.sizedString());
            case MV_TESTING_COMPLETE:
                return new Syscall.TestingComplete(in.u32());
            default:
                return new Syscall.Other(opcode, fields);
        }
    }

    /** Reads fields in order; each cast matches the schema the decoder enforced. */
    private static final class FieldCursor {
        private final List<Field> fields;
        private int next;

        FieldCursor(List<Field> fields) {
            this.fields = fields;
        }

        Field.Pointer pointer() {
            return (Field.Pointer) fields.get(next++);
        }

        int u32() {
            return ((Field.U32) fields.get(next++)).value();
        }

        long u64() {
            return ((Field.U64) fields.get(next++)).value();
        }

        Field.Bytes bytes() {
            return (Field.Bytes) fields.get(next++);
        }

        Syscall.Buffer buffer() {
            return new Syscall.Buffer(pointer(), u32());
        }

        Syscall.SizedString sizedString() {
            return new Syscall.SizedString(pointer(), u32(), bytes());
        }

        List<Syscall.ConfigKey> configKeys() {
            Field.FieldList list = (Field.FieldList) fields.get(next++);
            List<Syscall.ConfigKey> keys = new ArrayList<>(list.elements().size());
            for (List<Field> element : list.elements()) {
                FieldCursor key = new FieldCursor(element);
                keys.add(new Syscall.ConfigKey(key.u32(), key.u32(), key.sizedString()));
            }
            return keys;
        }
    }
}
