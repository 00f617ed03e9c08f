package dev.mvsim.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Typed views of syscall requests, one record per call in mvsim's scope, so a dispatcher can
 * switch on the record type instead of indexing fields. Calls outside the scope come as
 * {@link Other}. Field order follows each opcode's request schema (docs/wire-protocol.md).
 */
public sealed interface Syscall {

    Opcode opcode();

    /** Returns the fields of this call in the order of its request schema. */
    List<Field> toFields();

    /** Returns the typed view of a decoded request; the decoder has already checked its schema. */
    static Syscall of(Frame.Request request) {
        return SyscallViews.of(request.opcode(), request.arguments());
    }

    /** Returns a request frame carrying this call. */
    default Frame.Request toRequest(int sequence) {
        return new Frame.Request(sequence, opcode(), true, toFields());
    }

    /** An app buffer: where it starts (absent for NULL) and its declared size in bytes. */
    record Buffer(Field.Pointer data, int size) {
        List<Field> fields() {
            return List.of(data, new Field.U32(size));
        }
    }

    /** A sized string: its data pointer, its declared length and the bytes copied from the app. */
    record SizedString(Field.Pointer data, int length, Field.Bytes bytes) {
        List<Field> fields() {
            return List.of(data, new Field.U32(length), bytes);
        }
    }

    /** One key of a config fetch request: scope, store and key name. */
    record ConfigKey(int scope, int store, SizedString key) {
    }

    record GetMicroseconds(Field.Pointer microseconds) implements Syscall {
        @Override
        public Opcode opcode() {
            return Opcode.MV_GET_MICROSECONDS;
        }

        @Override
        public List<Field> toFields() {
            return List.of(microseconds);
        }
    }

    record GetWallTime(Field.Pointer microseconds) implements Syscall {
        @Override
        public Opcode opcode() {
            return Opcode.MV_GET_WALL_TIME;
        }

        @Override
        public List<Field> toFields() {
            return List.of(microseconds);
        }
    }

    record GetDeviceId(Buffer buffer) implements Syscall {
        @Override
        public Opcode opcode() {
            return Opcode.MV_GET_DEVICE_ID;
        }

        @Override
        public List<Field> toFields() {
            return buffer.fields();
        }
    }

    /** {@code setup} is the struct pointer; the ring, its size and the IRQ come from inside it. */
    record SetupNotifications(Field.Pointer setup, int irq, Buffer ring, Field.Pointer handleOut) implements Syscall {
        @Override
        public Opcode opcode() {
            return Opcode.MV_SETUP_NOTIFICATIONS;
        }

        @Override
        public List<Field> toFields() {
            return List.of(setup, new Field.U32(irq), ring.data(), new Field.U32(ring.size()), handleOut);
        }
    }

    /** A close or release through a handle pointer, with the handle value it contained. */
    record CloseHandle(Opcode opcode, Field.Pointer handlePointer, long handle) implements Syscall {
        @Override
        public List<Field> toFields() {
            return List.of(handlePointer, new Field.U64(handle));
        }
    }

    record RequestNetwork(Field.Pointer params, int version, long notificationHandle, int notificationTag,
                          Field.Pointer handleOut) implements Syscall {
        @Override
        public Opcode opcode() {
            return Opcode.MV_REQUEST_NETWORK;
        }

        @Override
        public List<Field> toFields() {
            return List.of(params, new Field.U32(version), new Field.U64(notificationHandle),
                    new Field.U32(notificationTag), handleOut);
        }
    }

    record GetNetworkStatus(long networkHandle, Field.Pointer statusOut) implements Syscall {
        @Override
        public Opcode opcode() {
            return Opcode.MV_GET_NETWORK_STATUS;
        }

        @Override
        public List<Field> toFields() {
            return List.of(new Field.U64(networkHandle), statusOut);
        }
    }

    record GetNetworkReasons(Field.Pointer reasonsOut, Field.Pointer requestCountOut) implements Syscall {
        @Override
        public Opcode opcode() {
            return Opcode.MV_GET_NETWORK_REASONS;
        }

        @Override
        public List<Field> toFields() {
            return List.of(reasonsOut, requestCountOut);
        }
    }

    record OpenChannel(Field.Pointer params, int version, long notificationHandle, int notificationTag,
                       long networkHandle, Buffer receiveBuffer, Buffer sendBuffer, int channelType,
                       SizedString endpoint, Field.Pointer handleOut) implements Syscall {
        @Override
        public Opcode opcode() {
            return Opcode.MV_OPEN_CHANNEL;
        }

        @Override
        public List<Field> toFields() {
            List<Field> fields = new ArrayList<>(List.of(params, new Field.U32(version), new Field.U64(notificationHandle),
                    new Field.U32(notificationTag), new Field.U64(networkHandle)));
            fields.addAll(receiveBuffer.fields());
            fields.addAll(sendBuffer.fields());
            fields.add(new Field.U32(channelType));
            fields.addAll(endpoint.fields());
            fields.add(handleOut);
            return fields;
        }
    }

    record GetChannelClosureReason(long channelHandle, Field.Pointer reasonOut) implements Syscall {
        @Override
        public Opcode opcode() {
            return Opcode.MV_GET_CHANNEL_CLOSURE_REASON;
        }

        @Override
        public List<Field> toFields() {
            return List.of(new Field.U64(channelHandle), reasonOut);
        }
    }

    /**
     * {@code keys} is empty when the array pointer is absent or {@code declaredCount} is above the
     * list maximum; the kernel decides from {@code declaredCount}.
     */
    record SendConfigFetchRequest(long channelHandle, Field.Pointer request, int declaredCount, Field.Pointer keysArray,
                                  List<ConfigKey> keys) implements Syscall {
        public SendConfigFetchRequest {
            keys = List.copyOf(keys);
        }

        @Override
        public Opcode opcode() {
            return Opcode.MV_SEND_CONFIG_FETCH_REQUEST;
        }

        @Override
        public List<Field> toFields() {
            List<List<Field>> elements = new ArrayList<>();
            for (ConfigKey key : keys) {
                List<Field> element = new ArrayList<>(List.of(new Field.U32(key.scope()), new Field.U32(key.store())));
                element.addAll(key.key().fields());
                elements.add(element);
            }
            return List.of(new Field.U64(channelHandle), request, new Field.U32(declaredCount), keysArray,
                    new Field.FieldList(elements));
        }
    }

    record ReadConfigFetchResponseData(long channelHandle, Field.Pointer responseOut) implements Syscall {
        @Override
        public Opcode opcode() {
            return Opcode.MV_READ_CONFIG_FETCH_RESPONSE_DATA;
        }

        @Override
        public List<Field> toFields() {
            return List.of(new Field.U64(channelHandle), responseOut);
        }
    }

    /** Outputs in the response: the item result, the value bytes (at most {@code value.size()}), the length. */
    record ReadConfigResponseItem(long channelHandle, Field.Pointer params, int itemIndex, Field.Pointer resultOut,
                                  Buffer value, Field.Pointer lengthOut) implements Syscall {
        @Override
        public Opcode opcode() {
            return Opcode.MV_READ_CONFIG_RESPONSE_ITEM;
        }

        @Override
        public List<Field> toFields() {
            return List.of(new Field.U64(channelHandle), params, new Field.U32(itemIndex), resultOut, value.data(),
                    new Field.U32(value.size()), lengthOut);
        }
    }

    /** {@code mvServerLoggingInit} or {@code mvTestLoggingInit}. */
    record LoggingInit(Opcode opcode, Buffer buffer) implements Syscall {
        @Override
        public List<Field> toFields() {
            return buffer.fields();
        }
    }

    /** {@code mvServerLog} or {@code mvTestLog}. */
    record Log(Opcode opcode, SizedString message) implements Syscall {
        @Override
        public List<Field> toFields() {
            return message.fields();
        }
    }

    record TestingComplete(int status) implements Syscall {
        @Override
        public Opcode opcode() {
            return Opcode.MV_TESTING_COMPLETE;
        }

        @Override
        public List<Field> toFields() {
            return List.of(new Field.U32(status));
        }
    }

    /** A call outside mvsim's scope, with its fields as decoded. */
    record Other(Opcode opcode, List<Field> fields) implements Syscall {
        public Other {
            fields = List.copyOf(fields);
        }

        @Override
        public List<Field> toFields() {
            return fields;
        }
    }
}
