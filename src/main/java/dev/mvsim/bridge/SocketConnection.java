package dev.mvsim.bridge;

import dev.mvsim.wire.FrameFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's TCP or Unix socket connection, served without a thread of its own: its
 * {@link SelectorLoop} reads, decodes every packet of a read, runs the handshake a step at a time,
 * hands frames to the session and writes the replies. Every method runs on the loop's thread.
 *
 * <p>A wall-clock device gets two kinds of timer from {@link BridgeTimers}: a wake-up at its
 * kernel's next due event, which pushes the frames it produces each in its own packet, and the end
 * of a HARNESS_SLEEP, which the kernel would otherwise wait out on the loop's thread. Packets that
 * arrive during a sleep wait in the packet reader until it ends.
 */
final class SocketConnection implements SelectorLoop.Handler {

    private static final Logger log = LoggerFactory.getLogger(SocketConnection.class);

    /**
     * Output queued beyond this stops reading from the device until the socket drains. A reply of
     * any size is still queued whole, so a connection queues at most this plus one reply. At 8 MiB, 14
     * devices that never read their replies filled serve's 128 MB heap.
     */
    private static final long MAX_QUEUED_OUTPUT_BYTES = 64 * 1024;

    /**
     * Bytes of an unfinished packet a connection may send before its handshake is done. A HELLO or
     * a PROOF packet is under 200 bytes. Without this bound, each unauthenticated connection could
     * make the server keep up to 2 MiB.
     */
    static final int MAX_HANDSHAKE_INPUT_BYTES = 4096;

    /** Collaborators shared by every connection of one server. */
    record Shared(ServerHandshake handshake, BridgeSessionFactory sessions, BridgeStats stats, BridgeTimers timers,
                  Duration handshakeTimeout) {
    }

    private enum State { AWAITING_HELLO, AWAITING_PROOF, SERVING, CLOSED }

    private final SocketChannel channel;
    private final String peer;
    private final SelectorLoop loop;
    private final Shared shared;
    private final PacketReader reader;
    /** Set once the handshake chose version 2: the reader of every packet after WELCOME. */
    private StreamPacketReader streamReader;
    private final ArrayDeque<ByteBuffer> output = new ArrayDeque<>();
    private long queuedBytes;
    private SelectionKey key;

    private State state = State.AWAITING_HELLO;
    private long handshakeDeadlineNanos;
    private ServerHandshake.Challenged challenged;
    private int restartsLeft;
    private SessionFrames frames;
    private boolean closeWhenFlushed;
    /** Set after the first read, the only one checked for an HTTP request. */
    private boolean readBefore;

    private byte[] sleepingPacket;
    private ScheduledFuture<?> wake;
    private long wakeAtNanos = Long.MAX_VALUE;

    SocketConnection(SocketChannel channel, String peer, SelectorLoop loop, Shared shared) {
        this.channel = channel;
        this.peer = peer;
        this.loop = loop;
        this.shared = shared;
        this.reader = new PacketReader(null, new DamagedPacketLog(peer));
    }

    /** Registers the channel with the loop's selector; runs on the loop's thread. */
    void register() throws IOException {
        channel.configureBlocking(false);
        key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
        handshakeDeadlineNanos = System.nanoTime() + shared.handshakeTimeout().toNanos();
        loop.track(this);
        shared.stats().connections.increment();
    }

    @Override
    public void ready(SelectionKey readyKey) throws IOException {
        if (readyKey.isValid() && readyKey.isWritable()) {
            flush();
        }
        if (readyKey.isValid() && readyKey.isReadable()) {
            read();
        }
    }

    private void read() throws IOException {
        ByteBuffer buffer = loop.readBuffer();
        buffer.clear();
        int count = channel.read(buffer);
        if (count < 0 && streamReader != null && streamReader.partialBytes() > 0) {
            log.warn("bridge device {} at {} closed the connection inside a packet, after {} of its bytes",
                    frames.deviceSid(), peer, streamReader.partialBytes());
            close(null);
            return;
        }
        if (count < 0) {
            log.debug("bridge peer {} closed the connection", peer);
            close(frames == null ? null : "disconnected");
            return;
        }
        if (!readBefore && HttpOnBridgePort.startsLikeHttp(buffer.array(), count)) {
            answerHttp();
            return;
        }
        readBefore = true;
        if (streamReader != null) {
            streamReader.accept(buffer.array(), 0, count);
        } else if (state == State.SERVING) {
            reader.accept(buffer.array(), 0, count);
        } else {
            acceptDuringHandshake(buffer.array(), count);
            return;
        }
        handlePackets();
    }

    /**
     * Feeds the handshake one packet at a time, so that the bytes behind the packet that switches
     * the connection to version 2 never reach the version 1 reader. The device must wait for
     * WELCOME before it sends a frame, so such bytes close the connection.
     */
    private void acceptDuringHandshake(byte[] bytes, int count) throws IOException {
        int offset = 0;
        while (offset < count && state != State.SERVING && state != State.CLOSED) {
            offset += reader.acceptPacket(bytes, offset, count - offset);
            if (reader.pendingBytes() > MAX_HANDSHAKE_INPUT_BYTES) {
                log.warn("bridge dropped {}: it sent {} bytes without a complete handshake packet (at most {})", peer,
                        reader.pendingBytes(), MAX_HANDSHAKE_INPUT_BYTES);
                close(null);
                return;
            }
            handlePackets();
        }
        if (offset == count || state == State.CLOSED) {
            return;
        }
        if (streamReader != null) {
            dropForBadStream("the device sent bytes after PROOF before it received WELCOME");
            return;
        }
        reader.accept(bytes, offset, count - offset);
        handlePackets();
    }

    /** Answers an HTTP request sent to the bridge port with a 400 that names the REST port, then closes. */
    private void answerHttp() {
        log.warn("bridge peer {} sent an HTTP request to the bridge port; responding with 400 and closing."
                + " REST clients belong on the REST port", peer);
        queue(ByteBuffer.wrap(HttpOnBridgePort.RESPONSE));
        closeAfterFlush();
    }

    /**
     * Handles the packets decoded so far, unless a sleep or a full output queue defers them.
     * While they are deferred the connection stops reading, so a device that sends without
     * reading its replies cannot make the server buffer without bound.
     */
    private void handlePackets() throws IOException {
        while (acceptsPackets()) {
            byte[] packet = streamReader != null ? streamReader.poll() : reader.poll();
            if (packet == null) {
                if (streamReader != null && streamReader.failure() != null) {
                    dropForBadStream(streamReader.failure());
                }
                break;
            }
            handle(packet);
        }
        if (state != State.CLOSED && key.isValid()) {
            int reading = acceptsPackets() ? SelectionKey.OP_READ : 0;
            key.interestOps((key.interestOps() & ~SelectionKey.OP_READ) | reading);
        }
    }

    private boolean acceptsPackets() {
        return state != State.CLOSED && !closeWhenFlushed && sleepingPacket == null
                && queuedBytes <= MAX_QUEUED_OUTPUT_BYTES;
    }

    private void handle(byte[] packet) throws IOException {
        switch (state) {
            case AWAITING_HELLO -> {
                if (HandshakeMessage.isHandshake(packet)) {
                    startHandshake(packet);
                } else {
                    rejectFrameBeforeHandshake();
                }
            }
            case AWAITING_PROOF -> {
                // On a lossy line the device restarts with a new HELLO when the CHALLENGE went missing.
                if (ServerHandshake.isHello(packet) && restartsLeft > 0) {
                    restartsLeft--;
                    challenge(packet);
                } else {
                    finishHandshake(packet);
                }
            }
            case SERVING -> {
                if (HandshakeMessage.isHandshake(packet)) {
                    log.info("bridge device {} at {} started a new handshake", frames.deviceSid(), peer);
                    endSession();
                    handshakeDeadlineNanos = System.nanoTime() + shared.handshakeTimeout().toNanos();
                    loop.track(this);
                    startHandshake(packet);
                } else {
                    serveFrame(packet);
                }
            }
            case CLOSED -> {
            }
        }
    }

    private void startHandshake(byte[] helloPacket) throws IOException {
        restartsLeft = ServerHandshake.MAX_RESTARTS;
        challenge(helloPacket);
    }

    private void challenge(byte[] helloPacket) throws IOException {
        try {
            challenged = shared.handshake().challenge(helloPacket, ServerHandshake.MAXIMUM_VERSION);
        } catch (HandshakeException rejected) {
            reject(rejected);
            return;
        }
        state = State.AWAITING_PROOF;
        write(challenged.challengeMessage());
    }

    private void finishHandshake(byte[] proofPacket) throws IOException {
        ServerHandshake.Authenticated device;
        try {
            device = shared.handshake().verify(challenged, proofPacket);
        } catch (HandshakeException rejected) {
            reject(rejected);
            return;
        }
        challenged = null;

        String sid = device.hello().deviceSid();
        BridgeSession session;
        try {
            session = shared.sessions().open(SessionRequest.of(device.hello()));
        } catch (RuntimeException failure) {
            log.error("bridge could not open a session for device {} at {}", sid, peer, failure);
            reject(new HandshakeException(RejectReason.SESSION_FAILED,
                    "the simulator could not open a session for " + sid + ": " + failure.getMessage()));
            return;
        }

        frames = new SessionFrames(sid, peer, session, shared.stats());
        state = State.SERVING;
        loop.untrack(this);
        shared.stats().authenticated.increment();
        write(ServerHandshake.welcomeMessage(device));
        log.info("bridge device {} connected from {} (clock {}, bridge version {})", sid, peer, session.clockName(),
                device.version());
        if (device.version() >= ServerHandshake.STREAM_FRAMING_VERSION) {
            useStreamFraming();
            if (state == State.CLOSED) {
                return;
            }
        }
        scheduleWake();
    }

    /**
     * Switches to version 2 packets after WELCOME. The device sends nothing between PROOF and
     * WELCOME, so bytes behind the PROOF break the protocol and end the connection.
     */
    private void useStreamFraming() {
        if (!reader.isEmpty()) {
            dropForBadStream("the device sent bytes after PROOF before it received WELCOME");
            return;
        }
        streamReader = new StreamPacketReader();
    }

    /** Closes a version 2 connection whose stream cannot be split into packets any more, with one log line. */
    private void dropForBadStream(String reason) {
        shared.stats().droppedPackets.increment();
        log.warn("bridge device {} at {} sent an invalid version 2 stream ({}); closing the connection, because a "
                + "stream has no delimiter to resynchronise at", frames.deviceSid(), peer, reason);
        close(null);
    }

    private void reject(HandshakeException rejected) throws IOException {
        shared.stats().rejectedHandshakes.increment();
        log.warn("bridge rejected the handshake from {}: {} ({})", peer, rejected.getMessage(), rejected.reason());
        write(new HandshakeMessage.Reject(rejected.reason(), rejected.deviceMessage()).encode());
        closeAfterFlush();
    }

    /** Rejects a frame that arrived before any handshake, as after a server restart, with a REJECT that requests a HELLO. */
    private void rejectFrameBeforeHandshake() throws IOException {
        shared.stats().rejectedFrames.increment();
        log.warn("bridge peer {} sent a frame before authenticating; sending REJECT so that it starts a handshake", peer);
        write(new HandshakeMessage.Reject(RejectReason.NO_SESSION,
                "no session: send HELLO to start a handshake before any frame").encode());
    }

    private void serveFrame(byte[] packet) throws IOException {
        long sleepMicros = frames.wallClockSleepMicros(packet);
        if (sleepMicros > 0) {
            sleepingPacket = packet;
            cancelWake();
            wake = shared.timers().schedule(loop, sleepMicros, this::finishSleep);
            return;
        }
        byte[] reply = frames.serve(packet);
        if (reply != null) {
            write(reply);
        }
        scheduleWake();
    }

    /** Replies to the HARNESS_SLEEP whose time has passed, then handles the packets that waited for it. */
    private void finishSleep() {
        if (state != State.SERVING || sleepingPacket == null) {
            return;
        }
        byte[] packet = sleepingPacket;
        sleepingPacket = null;
        wake = null;
        try {
            write(frames.serveAfterSleep(packet));
            scheduleWake();
            handlePackets();
        } catch (IOException | FrameFormatException | RuntimeException failure) {
            fail(failure);
        }
    }

    /** Asks the timer thread to wake this connection when the kernel's next event falls due. */
    private void scheduleWake() {
        BridgeSession session = frames.session();
        if (state != State.SERVING || sleepingPacket != null || !session.wallClock() || !frames.mayPush()) {
            return;
        }
        long micros = session.microsUntilDue();
        if (micros == Long.MAX_VALUE) {
            return;
        }
        long at = System.nanoTime() + micros * 1000;
        if (wake != null && wakeAtNanos <= at) {
            // The earlier wake-up finds nothing due, or the same event, and schedules the next one.
            return;
        }
        cancelWake();
        wakeAtNanos = at;
        wake = shared.timers().schedule(loop, micros, this::pushDue);
    }

    /** Pushes the frames that fell due while the device made no call, each in its own packet. */
    private void pushDue() {
        wake = null;
        wakeAtNanos = Long.MAX_VALUE;
        if (state != State.SERVING || sleepingPacket != null) {
            return;
        }
        List<byte[]> unwritten = new ArrayList<>();
        try {
            List<byte[]> due = frames.session().pollDue();
            byte[] waiting = due.isEmpty() ? new byte[0] : frames.takeDeferred();
            if (waiting.length > 0) {
                // Frames from calls that wanted no reply are older than the pushed ones, so they go first.
                unwritten.add(waiting);
            }
            unwritten.addAll(due);
            while (!unwritten.isEmpty()) {
                // Counted before the write, so that a device that has received a push sees it counted.
                shared.stats().pushedFrames.increment();
                write(unwritten.get(0));
                frames.session().pushWritten(unwritten.remove(0));
            }
            scheduleWake();
        } catch (IOException | RuntimeException failure) {
            // Their ring slots are counted already: they lead the first reply of the device's next connection.
            frames.session().keepForNextReply(unwritten);
            fail(failure);
        }
    }

    private void cancelWake() {
        if (wake != null) {
            wake.cancel(false);
            wake = null;
        }
        wakeAtNanos = Long.MAX_VALUE;
    }

    /**
     * Sends one packet. With nothing queued and a packet that fits the loop's write buffer, the
     * packet is encoded into the loop's array, copied into that buffer in one call and written
     * from it. What the socket does not take is queued and sent when it becomes writable.
     */
    private void write(byte[] payload) throws IOException {
        if (streamReader != null) {
            writeStreamPacket(payload);
            return;
        }
        if (output.isEmpty() && Packets.maxPacketBytes(payload.length) <= SelectorLoop.BUFFER_BYTES) {
            byte[] encoded = loop.encodeArray();
            int length = Packets.encode(payload, encoded);
            ByteBuffer buffer = loop.writeBuffer();
            buffer.clear();
            buffer.put(encoded, 0, length);
            writeFromLoopBuffer(buffer);
            return;
        }
        writeOrQueue(ByteBuffer.wrap(Packets.encode(payload)));
    }

    /** Sends one version 2 packet, from the loop's direct buffer when nothing is queued and it fits. */
    private void writeStreamPacket(byte[] payload) throws IOException {
        if (output.isEmpty() && StreamPackets.LENGTH_BYTES + payload.length <= SelectorLoop.BUFFER_BYTES) {
            ByteBuffer buffer = loop.writeBuffer();
            buffer.clear();
            StreamPackets.put(payload, buffer);
            writeFromLoopBuffer(buffer);
            return;
        }
        writeOrQueue(ByteBuffer.wrap(StreamPackets.encode(payload)));
    }

    /**
     * Writes the loop's buffer, filled up to its position. What the socket does not take is queued
     * as a copy, because the loop reuses the buffer for the next connection.
     */
    private void writeFromLoopBuffer(ByteBuffer buffer) throws IOException {
        buffer.flip();
        channel.write(buffer);
        if (buffer.hasRemaining()) {
            ByteBuffer rest = ByteBuffer.allocate(buffer.remaining());
            rest.put(buffer).flip();
            queue(rest);
        }
    }

    /** Writes {@code packet} at once when nothing is queued ahead of it, and queues what the socket does not take. */
    private void writeOrQueue(ByteBuffer packet) throws IOException {
        if (output.isEmpty()) {
            channel.write(packet);
            if (!packet.hasRemaining()) {
                return;
            }
        }
        queue(packet);
    }

    private void queue(ByteBuffer packet) {
        output.add(packet);
        queuedBytes += packet.remaining();
        key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
    }

    private void flush() throws IOException {
        while (!output.isEmpty()) {
            ByteBuffer head = output.peek();
            int written = channel.write(head);
            queuedBytes -= written;
            if (head.hasRemaining()) {
                return;
            }
            output.poll();
        }
        key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        if (closeWhenFlushed) {
            close(null);
            return;
        }
        handlePackets();
    }

    private void closeAfterFlush() {
        closeWhenFlushed = true;
        if (output.isEmpty()) {
            close(null);
        }
    }

    boolean handshakeExpired(long nowNanos) {
        return state != State.SERVING && state != State.CLOSED && nowNanos - handshakeDeadlineNanos > 0;
    }

    void dropForHandshakeTimeout() {
        shared.stats().timedOutHandshakes.increment();
        log.warn("bridge dropped {}: no complete handshake within {} ms ({})", peer,
                shared.handshakeTimeout().toMillis(), state == State.AWAITING_PROOF ? "no PROOF after CHALLENGE"
                        : "no HELLO");
        close(null);
    }

    /** Closes the connection after a failure of its socket or session, with a log line. */
    void fail(Throwable failure) {
        if (state == State.CLOSED) {
            return;
        }
        if (failure instanceof Error) {
            // Closing the connection frees what it holds, which is most likely what used the memory up.
            log.error("bridge dropped the connection to {} after an error while serving it", peer, failure);
        } else {
            log.info("bridge connection to {} ended: {}", peer, failure.toString());
        }
        close(frames == null ? null : "disconnected");
    }

    private void endSession() {
        cancelWake();
        sleepingPacket = null;
        if (frames != null) {
            BridgeSession session = frames.session();
            byte[] waiting = frames.takeDeferred();
            frames = null;
            try {
                if (waiting.length > 0) {
                    // Frames that no reply carried yet, from REPORTs or sent again by a resume, lead the next connection's.
                    session.keepForNextReply(List.of(waiting));
                }
                session.close();
            } catch (RuntimeException failure) {
                log.error("closing the session of {} failed", peer, failure);
            }
        }
    }

    /**
     * Closes the socket and the session.
     *
     * @param event what happened to the device, for the log line, or null for no line
     */
    private void close(String event) {
        if (state == State.CLOSED) {
            return;
        }
        if (event != null && frames != null) {
            log.info("bridge device {} at {} {}", frames.deviceSid(), peer, event);
        }
        state = State.CLOSED;
        loop.untrack(this);
        endSession();
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException failure) {
            log.debug("closing {} failed: {}", peer, failure.getMessage());
        }
        shared.stats().droppedPackets.add(reader.droppedPackets());
    }

    @Override
    public void closeForShutdown() {
        close(frames == null ? null : "disconnected because the bridge stopped");
    }
}
