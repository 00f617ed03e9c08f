package dev.mvsim.wire;

import java.util.Collections;
import java.util.List;

/** One decoded frame. Each record is one frame kind; {@link FrameCodec} converts them to and from bytes. */
public sealed interface Frame {

    FrameKind kind();

    /** Sender's sequence number; a response or error repeats the number of the frame it replies to. */
    int sequence();

    /** A syscall made by the app. Without {@code replyExpected} the receiver sends no response unless it fails. */
    record Request(int sequence, Opcode opcode, boolean replyExpected, List<Field> arguments) implements Frame {
        public Request {
            arguments = List.copyOf(arguments);
            if (opcode.isHarnessControl()) {
                throw new IllegalArgumentException(opcode + " is a harness-control opcode; use Frame.Control");
            }
        }

        @Override
        public FrameKind kind() {
            return FrameKind.REQUEST;
        }
    }

    /** A harness-control operation (clock, sleep, poll) sent by the C library to the kernel. */
    record Control(int sequence, Opcode opcode, List<Field> arguments) implements Frame {
        public Control {
            arguments = List.copyOf(arguments);
            if (!opcode.isHarnessControl()) {
                throw new IllegalArgumentException(opcode + " is a syscall opcode; use Frame.Request");
            }
        }

        @Override
        public FrameKind kind() {
            return FrameKind.CONTROL;
        }
    }

    /** The kernel's reply: the syscall's status and every output, in the order of the response schema. */
    record Response(int sequence, Opcode opcode, int status, List<Field> outputs) implements Frame {
        public Response {
            outputs = List.copyOf(outputs);
        }

        /** Returns the response to {@code request} with {@code status} and every output unwritten. */
        public static Response withoutOutputs(Frame.Request request, int status) {
            List<Field> none = Collections.nCopies(request.opcode().responseSchema().size(), Field.None.INSTANCE);
            return new Response(request.sequence(), request.opcode(), status, none);
        }

        /** Returns the response to {@code request} with {@code status} and the outputs in schema order. */
        public static Response to(Frame.Request request, int status, Field... outputs) {
            return new Response(request.sequence(), request.opcode(), status, List.of(outputs));
        }

        @Override
        public FrameKind kind() {
            return FrameKind.RESPONSE;
        }
    }

    /**
     * One record for the app's notification ring: where to write it, what to write, and which IRQ
     * to pend. {@code data} is empty unless the sender attaches bytes the app will read next.
     */
    record Notification(int sequence, long centreHandle, long ringAddress, int slotIndex, long microseconds,
                        int eventType, int tag, int irq, Field.Bytes data) implements Frame {
        @Override
        public FrameKind kind() {
            return FrameKind.NOTIFICATION;
        }
    }

    /** Protocol versions and the largest frame each side accepts, plus a name for logs. */
    record Handshake(int sequence, int minimumVersion, int maximumVersion, int maximumFrameBytes, String peerName)
            implements Frame {
        @Override
        public FrameKind kind() {
            return FrameKind.HANDSHAKE;
        }
    }

    /**
     * A syscall libmvhost answered itself: the request's arguments and the status and outputs it
     * gave the app. The kernel runs the same call and compares; a report gets no reply.
     */
    record Report(int sequence, Opcode opcode, List<Field> arguments, int status, List<Field> outputs)
            implements Frame {
        public Report {
            arguments = List.copyOf(arguments);
            outputs = List.copyOf(outputs);
            if (!opcode.isReportable()) {
                throw new IllegalArgumentException(opcode + " is a harness-control opcode that cannot be reported;"
                        + " only syscalls, SLEEP and WAIT are");
            }
        }

        /** Returns the request this report of a syscall stands for, as if the app had sent it. */
        public Request request() {
            return new Request(sequence, opcode, true, arguments);
        }

        /** Returns the control this report of a SLEEP or WAIT stands for, as if the app had sent it. */
        public Control control() {
            return new Control(sequence, opcode, arguments);
        }

        @Override
        public FrameKind kind() {
            return FrameKind.REPORT;
        }
    }

    /** A rejected frame: the code from {@link ErrorCode} and a message that names the fault. */
    record Error(int sequence, int opcodeCode, ErrorCode code, String message) implements Frame {
        @Override
        public FrameKind kind() {
            return FrameKind.ERROR;
        }
    }

    /**
     * Kernel state for libmvhost to cache: {@code fields} follow the schema of {@code opcode}. Like
     * notification frames, STATE frames lead the response in a reply or travel alone as a push.
     */
    record State(int sequence, StateOpcode opcode, List<Field> fields) implements Frame {
        public State {
            fields = List.copyOf(fields);
        }

        /** Returns a CLOCK state: {@code clockKind} is {@link StateOpcode#CLOCK_VIRTUAL} or {@link StateOpcode#CLOCK_WALL}. */
        public static State clock(int sequence, int clockKind, long kernelMicros) {
            return new State(sequence, StateOpcode.CLOCK, List.of(new Field.U32(clockKind), new Field.U64(kernelMicros)));
        }

        @Override
        public FrameKind kind() {
            return FrameKind.STATE;
        }
    }
}
