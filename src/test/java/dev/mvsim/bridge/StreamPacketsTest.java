package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamPacketsTest {

    /** Shared with the C test suite, so that both version 2 codecs produce the same bytes. */
    private static final Path GOLDEN = Path.of("native/tests/bridge/golden/stream_packets.txt");

    private static byte[] frame() {
        return CountingSession.microsecondsRequest(1);
    }

    @Test
    void goldenStreamPacketsMatchBothWays() throws Exception {
        List<String[]> vectors = PacketsTest.goldenVectors(GOLDEN);

        assertThat(vectors).hasSizeGreaterThanOrEqualTo(4);
        for (String[] vector : vectors) {
            byte[] payload = HexFormat.of().parseHex(vector[1]);
            byte[] packet = HexFormat.of().parseHex(vector[2]);
            StreamPacketReader reader = new StreamPacketReader();
            reader.accept(packet, 0, packet.length);

            assertThat(StreamPackets.encode(payload)).as(vector[0]).isEqualTo(packet);
            assertThat(reader.poll()).as(vector[0]).isEqualTo(payload);
            assertThat(reader.poll()).as(vector[0]).isNull();
            assertThat(reader.failure()).as(vector[0]).isNull();
        }
    }

    @Test
    void readerJoinsPacketSentByteByByte() {
        byte[] packet = StreamPackets.encode(frame());
        StreamPacketReader reader = new StreamPacketReader();

        for (int i = 0; i < packet.length; i++) {
            assertThat(reader.poll()).isNull();
            reader.accept(packet, i, 1);
        }

        assertThat(reader.poll()).isEqualTo(frame());
        assertThat(reader.partialBytes()).isZero();
    }

    @Test
    void readerRejectsLengthAboveMaximum() {
        StreamPacketReader reader = new StreamPacketReader(64);
        byte[] packet = StreamPackets.encode(Arrays.copyOf(frame(), 65));

        reader.accept(packet, 0, packet.length);

        assertThat(reader.poll()).isNull();
        assertThat(reader.failure()).contains("packet length 65 is above the maximum of 64 bytes");
    }

    @Test
    void readerRejectsLengthBelowHeader() {
        StreamPacketReader reader = new StreamPacketReader();

        reader.accept(new byte[] {15, 0, 0, 0}, 0, 4);

        assertThat(reader.failure()).contains("packet length 15 is below the 16-byte frame header");
    }

    @Test
    void readerRejectsBadMagicAfterGoodPacket() {
        byte[] bad = frame();
        bad[0] = 'X';
        byte[] stream = PacketsTest.concat(StreamPackets.encode(frame()), StreamPackets.encode(bad),
                StreamPackets.encode(frame()));
        StreamPacketReader reader = new StreamPacketReader();

        reader.accept(stream, 0, stream.length);

        assertThat(reader.poll()).isEqualTo(frame());
        assertThat(reader.poll()).isNull();
        assertThat(reader.failure()).contains("not a frame's magic 'MV'");
    }

    @Test
    void readerGrowsBufferWithArrivingBytes() {
        StreamPacketReader reader = new StreamPacketReader();
        byte[] prefix = {0, 0, 0x10, 0, 'M', 'V'};

        reader.accept(prefix, 0, prefix.length);

        assertThat(reader.partialBytes()).isEqualTo(6);
        assertThat(reader.failure()).isNull();
        assertThat(reader.poll()).isNull();
    }
}
