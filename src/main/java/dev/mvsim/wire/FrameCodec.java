package dev.mvsim.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Converts frames to and from bytes (layout in docs/wire-protocol.md). Decoding is strict: every
 * fault is a {@link FrameFormatException}, and no buffer is sized from a length before that length
 * is checked against the bytes left and the maximum.
 */
public final class FrameCodec {

    private static final Schema NOTIFICATION_SCHEMA = Schema.parse("LLILIIIB");
    private static final Schema HANDSHAKE_SCHEMA = Schema.parse("IIIB");
    private static final Schema ERROR_SCHEMA = Schema.parse("IB");
    private static final Schema STATUS_SCHEMA = Schema.parse("I");
    /** A REPORT's payload: the request payload, then the response payload, each as one bytes field. */
    private static final Schema REPORT_SCHEMA = Schema.parse("BB");

    /** Names of STATE payloads for error messages, built once because a STATE leads every response. */
    private static final Map<StateOpcode, String> STATE_OWNERS = stateOwners();

    private FrameCodec() {
    }

    /** A decoded frame and how many bytes it took, for reading a stream of frames. */
    public record Decoded(Frame frame, int length) {
    }

    public static byte[] encode(Frame frame) {
        PayloadWriter writer = new PayloadWriter();
        int opcode = 0;
        int flags = 0;
        if (frame instanceof Frame.Request request) {
            opcode = request.opcode().code();
            flags = request.replyExpected() ? 0 : WireLimits.FLAG_NO_REPLY;
        } else if (frame instanceof Frame.Control control) {
            opcode = control.opcode().code();
        } else if (frame instanceof Frame.Response response) {
            opcode = response.opcode().code();
        } else if (frame instanceof Frame.Error error) {
            opcode = error.opcodeCode();
        } else if (frame instanceof Frame.State state) {
            opcode = state.opcode().code();
        } else if (frame instanceof Frame.Report report) {
            opcode = report.opcode().code();
        }

        writer.u16(WireLimits.MAGIC);
        writer.u8(WireLimits.VERSION);
        writer.u8(frame.kind().code());
        writer.u16(opcode);
        writer.u16(flags);
        writer.u32(frame.sequence());
        writer.u32(0);
        writePayload(frame, writer);

        int payloadBytes = writer.size() - WireLimits.HEADER_BYTES;
        if (payloadBytes > WireLimits.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload of " + payloadBytes + " bytes is above the maximum "
                    + WireLimits.MAX_PAYLOAD_BYTES);
        }
        writer.patchU32(12, payloadBytes);
        return writer.toByteArray();
    }

    private static void writePayload(Frame frame, PayloadWriter payload) {
        if (frame instanceof Frame.Request request) {
            payload.writeAll(request.opcode().requestSchema(), request.arguments(), false, request.opcode().cName(), "request");
        } else if (frame instanceof Frame.Control control) {
            payload.writeAll(control.opcode().requestSchema(), control.arguments(), false, control.opcode().cName(), "control");
        } else if (frame instanceof Frame.Response response) {
            payload.writeAll(STATUS_SCHEMA, List.of(new Field.U32(response.status())), false, response.opcode().cName(), "status");
            payload.writeAll(response.opcode().responseSchema(), response.outputs(), true, response.opcode().cName(), "response");
        } else if (frame instanceof Frame.Notification notification) {
            payload.writeAll(NOTIFICATION_SCHEMA, List.of(
                    new Field.U64(notification.centreHandle()),
                    new Field.U64(notification.ringAddress()),
                    new Field.U32(notification.slotIndex()),
                    new Field.U64(notification.microseconds()),
                    new Field.U32(notification.eventType()),
                    new Field.U32(notification.tag()),
                    new Field.U32(notification.irq()),
                    notification.data()), false, "notification", "payload");
        } else if (frame instanceof Frame.Handshake handshake) {
            payload.writeAll(HANDSHAKE_SCHEMA, List.of(
                    new Field.U32(handshake.minimumVersion()),
                    new Field.U32(handshake.maximumVersion()),
                    new Field.U32(handshake.maximumFrameBytes()),
                    new Field.Bytes(utf8(handshake.peerName(), WireLimits.MAX_PEER_NAME_BYTES, "peer name"))), false, "handshake", "payload");
        } else if (frame instanceof Frame.Report report) {
            String owner = report.opcode().cName();
            PayloadWriter request = new PayloadWriter();
            request.writeAll(report.opcode().requestSchema(), report.arguments(), false, owner, "reported request");
            PayloadWriter response = new PayloadWriter();
            response.writeAll(STATUS_SCHEMA, List.of(new Field.U32(report.status())), false, owner, "reported status");
            response.writeAll(report.opcode().responseSchema(), report.outputs(), true, owner, "reported response");
            payload.writeAll(REPORT_SCHEMA, List.of(new Field.Bytes(request.toByteArray()),
                    new Field.Bytes(response.toByteArray())), false, owner, "report");
        } else if (frame instanceof Frame.Error error) {
            payload.writeAll(ERROR_SCHEMA, List.of(
                    new Field.U32(error.code().code()),
                    new Field.Bytes(utf8(error.message(), WireLimits.MAX_ERROR_MESSAGE_BYTES, "error message"))), false, "error", "payload");
        } else if (frame instanceof Frame.State state) {
            payload.writeAll(state.opcode().schema(), state.fields(), false, STATE_OWNERS.get(state.opcode()), "payload");
        }
    }

    /** Decodes exactly one frame that fills {@code bytes}. */
    public static Frame decode(byte[] bytes) throws FrameFormatException {
        Decoded decoded = decodeAt(bytes, 0);
        if (decoded.length() != bytes.length) {
            throw new FrameFormatException(ErrorCode.MALFORMED, (bytes.length - decoded.length())
                    + " bytes follow the frame that ends at offset " + decoded.length());
        }
        return decoded.frame();
    }

    /** Decodes a run of frames, such as notifications followed by the response they precede. */
    public static List<Frame> decodeAll(byte[] bytes) throws FrameFormatException {
        List<Frame> frames = new ArrayList<>();
        int offset = 0;
        while (offset < bytes.length) {
            Decoded decoded = decodeAt(bytes, offset);
            frames.add(decoded.frame());
            offset += decoded.length();
        }
        return frames;
    }

    /** Decodes the frame that starts at {@code offset}; bytes after it are left alone. */
    public static Decoded decodeAt(byte[] bytes, int offset) throws FrameFormatException {
        if (offset < 0 || offset > bytes.length) {
            throw new IllegalArgumentException("offset " + offset + " is outside the " + bytes.length + "-byte array");
        }
        PayloadReader header = new PayloadReader(bytes, offset, Math.min(WireLimits.HEADER_BYTES, bytes.length - offset));
        int magic = header.readU8("magic") | header.readU8("magic") << 8;
        if (magic != WireLimits.MAGIC) {
            throw new FrameFormatException(ErrorCode.MALFORMED, "frame at offset " + offset + " starts with 0x"
                    + Integer.toHexString(magic) + ", expected magic 0x" + Integer.toHexString(WireLimits.MAGIC));
        }
        int version = header.readU8("version");
        if (version != WireLimits.VERSION) {
            throw new FrameFormatException(ErrorCode.UNSUPPORTED_VERSION, "frame version " + version
                    + " is not supported; this codec speaks version " + WireLimits.VERSION);
        }
        int kindCode = header.readU8("kind");
        int opcodeCode = header.readU8("opcode") | header.readU8("opcode") << 8;
        int flags = header.readU8("flags") | header.readU8("flags") << 8;
        int sequence = header.readI32("sequence");
        long payloadLength = Integer.toUnsignedLong(header.readI32("payload length"));

        FrameKind kind = FrameKind.fromCode(kindCode);
        if (kind == null) {
            throw new FrameFormatException(ErrorCode.MALFORMED, "frame kind " + kindCode + " is unknown; expected 1 to 8");
        }
        if (payloadLength > WireLimits.MAX_PAYLOAD_BYTES) {
            throw new FrameFormatException(ErrorCode.TOO_LARGE, "payload length " + payloadLength
                    + " is above the maximum " + WireLimits.MAX_PAYLOAD_BYTES);
        }
        int available = bytes.length - offset - WireLimits.HEADER_BYTES;
        if (payloadLength > available) {
            throw new FrameFormatException(ErrorCode.MALFORMED, "payload length " + payloadLength
                    + " is beyond the " + available + " bytes that follow the header");
        }
        int allowedFlags = kind == FrameKind.REQUEST || kind == FrameKind.CONTROL ? WireLimits.FLAG_NO_REPLY : 0;
        if ((flags & ~allowedFlags) != 0) {
            throw new FrameFormatException(ErrorCode.MALFORMED, "flags 0x" + Integer.toHexString(flags)
                    + " set reserved bits for a " + kind + " frame");
        }

        PayloadReader payload = new PayloadReader(bytes, offset + WireLimits.HEADER_BYTES, (int) payloadLength);
        Frame frame = decodePayload(kind, opcodeCode, flags, sequence, payload);
        payload.expectEnd();
        return new Decoded(frame, WireLimits.HEADER_BYTES + (int) payloadLength);
    }

    private static Frame decodePayload(FrameKind kind, int opcodeCode, int flags, int sequence, PayloadReader payload)
            throws FrameFormatException {
        switch (kind) {
            case REQUEST, CONTROL, RESPONSE -> {
                Opcode opcode = Opcode.fromCode(opcodeCode);
                if (opcode == null) {
                    throw new FrameFormatException(ErrorCode.UNKNOWN_OPCODE, "opcode 0x" + Integer.toHexString(opcodeCode)
                            + " is unknown in a " + kind + " frame");
                }
                boolean control = kind == FrameKind.CONTROL;
                if (kind != FrameKind.RESPONSE && opcode.isHarnessControl() != control) {
                    throw new FrameFormatException(ErrorCode.MALFORMED, "opcode " + opcode.cName()
                            + " cannot travel in a " + kind + " frame");
                }
                if (kind == FrameKind.RESPONSE) {
                    int status = ((Field.U32) payload.readAll(STATUS_SCHEMA, false).get(0)).value();
                    return new Frame.Response(sequence, opcode, status, payload.readAll(opcode.responseSchema(), true));
                }
                List<Field> arguments = payload.readAll(opcode.requestSchema(), false);
                if (control) {
                    return new Frame.Control(sequence, opcode, arguments);
                }
                return new Frame.Request(sequence, opcode, (flags & WireLimits.FLAG_NO_REPLY) == 0, arguments);
            }
            case NOTIFICATION -> {
                requireNoOpcode(kind, opcodeCode);
                List<Field> fields = payload.readAll(NOTIFICATION_SCHEMA, false);
                return new Frame.Notification(sequence, u64(fields, 0), u64(fields, 1), u32(fields, 2), u64(fields, 3),
                        u32(fields, 4), u32(fields, 5), u32(fields, 6), (Field.Bytes) fields.get(7));
            }
            case HANDSHAKE -> {
                requireNoOpcode(kind, opcodeCode);
                List<Field> fields = payload.readAll(HANDSHAKE_SCHEMA, false);
                String peer = text(fields.get(3), WireLimits.MAX_PEER_NAME_BYTES, "peer name");
                return new Frame.Handshake(sequence, u32(fields, 0), u32(fields, 1), u32(fields, 2), peer);
            }
            case REPORT -> {
                return decodeReport(opcodeCode, sequence, payload);
            }
            case ERROR -> {
                List<Field> fields = payload.readAll(ERROR_SCHEMA, false);
                ErrorCode code = ErrorCode.fromCode(u32(fields, 0));
                if (code == null) {
                    throw new FrameFormatException(ErrorCode.MALFORMED, "error code " + u32(fields, 0) + " is unknown; expected 1 to 5");
                }
                return new Frame.Error(sequence, opcodeCode, code, text(fields.get(1), WireLimits.MAX_ERROR_MESSAGE_BYTES, "error message"));
            }
            case STATE -> {
                StateOpcode opcode = StateOpcode.fromCode(opcodeCode);
                if (opcode == null) {
                    throw new FrameFormatException(ErrorCode.UNKNOWN_OPCODE, "state opcode 0x" + Integer.toHexString(opcodeCode)
                            + " is unknown in a STATE frame");
                }
                return new Frame.State(sequence, opcode, payload.readAll(opcode.schema(), false));
            }
            default -> throw new IllegalStateException("unhandled kind " + kind);
        }
    }

    /** Decodes a REPORT: both inner payloads must match the operation's schemas exactly. */
    private static Frame.Report decodeReport(int opcodeCode, int sequence, PayloadReader payload)
            throws FrameFormatException {
        Opcode opcode = Opcode.fromCode(opcodeCode);
        if (opcode == null || !opcode.isReportable()) {
            throw new FrameFormatException(ErrorCode.UNKNOWN_OPCODE, "opcode 0x" + Integer.toHexString(opcodeCode)
                    + " is neither a syscall nor SLEEP or WAIT, so it cannot be reported");
        }
        // The two bytes fields of REPORT_SCHEMA are read where they lie in the frame, without a copy.
        PayloadReader request = payload.readNestedPayload();
        PayloadReader response = payload.readNestedPayload();

        List<Field> arguments = request.readAll(opcode.requestSchema(), false);
        request.expectEnd();
        int status = ((Field.U32) response.readAll(STATUS_SCHEMA, false).get(0)).value();
        List<Field> outputs = response.readAll(opcode.responseSchema(), true);
        response.expectEnd();
        return new Frame.Report(sequence, opcode, arguments, status, outputs);
    }

    private static Map<StateOpcode, String> stateOwners() {
        Map<StateOpcode, String> owners = new EnumMap<>(StateOpcode.class);
        for (StateOpcode opcode : StateOpcode.values()) {
            owners.put(opcode, "state " + opcode);
        }
        return owners;
    }

    private static void requireNoOpcode(FrameKind kind, int opcodeCode) throws FrameFormatException {
        if (opcodeCode != 0) {
            throw new FrameFormatException(ErrorCode.MALFORMED, kind + " frame carries opcode 0x"
                    + Integer.toHexString(opcodeCode) + ", expected 0");
        }
    }

    private static String text(Field field, int maximum, String what) throws FrameFormatException {
        Field.Bytes bytes = (Field.Bytes) field;
        if (bytes.length() > maximum) {
            throw new FrameFormatException(ErrorCode.TOO_LARGE, what + " of " + bytes.length()
                    + " bytes is above the maximum " + maximum);
        }
        return new String(bytes.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text, int maximum, String what) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maximum) {
            throw new IllegalArgumentException(what + " of " + bytes.length + " bytes is above the maximum " + maximum);
        }
        return bytes;
    }

    private static int u32(List<Field> fields, int index) {
        return ((Field.U32) fields.get(index)).value();
    }

    private static long u64(List<Field> fields, int index) {
        return ((Field.U64) fields.get(index)).value();
    }
}
