package dev.mvsim.bench;

import dev.mvsim.bridge.PacketReader;
import dev.mvsim.bridge.Packets;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.Opcode;
import dev.mvsim.wire.StateOpcode;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures the bridge's packet layer (COBS and CRC-32) on a reply as the bridge sends one: a
 * notification, a NETWORK state and a response, whose little-endian fields are mostly zero bytes.
 * {@code encodeReply} builds the packet, {@code readReply} splits and decodes it as a connection's
 * packet reader does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PacketCodecBenchmark {

    private final byte[] reply = replyPayload();
    private final byte[] packet = Packets.encode(reply);
    private final PacketReader reader = new PacketReader(null, reason -> {
        throw new IllegalStateException("the benchmark's packet was dropped: " + reason);
    });

    @Benchmark
    public byte[] encodeReply() {
        return Packets.encode(reply);
    }

    @Benchmark
    public byte[] readReply() {
        reader.accept(packet, 0, packet.length);
        return reader.poll();
    }

    private static byte[] replyPayload() {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes(FrameCodec.encode(new Frame.Notification(7, 0x5a3c_19e2L, 0x2000_4000L, 3, 125_000_017L,
                3, 1, 40, new Field.Bytes(new byte[0]))));
        payload.writeBytes(FrameCodec.encode(new Frame.State(8, StateOpcode.NETWORK,
                List.of(new Field.U64(0x71d2_0a4bL), new Field.U32(2)))));
        payload.writeBytes(FrameCodec.encode(new Frame.Response(9, Opcode.MV_OPEN_CHANNEL, 0,
                List.of(new Field.U64(0x0c4f_88a1L)))));
        return payload.toByteArray();
    }
}
