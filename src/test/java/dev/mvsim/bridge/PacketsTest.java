package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketsTest {

    /** Shared with the C test suite, so that both packet codecs produce the same bytes. */
    private static final Path GOLDEN = Path.of("native/tests/bridge/golden/packets.txt");

    @Test
    void crcIsZlibCrc32() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);

        assertThat(Packets.crc32(check, 0, check.length)).isEqualTo(0xCBF43926L);
    }

    @Test
    void goldenPacketsMatchBothWays() throws Exception {
        List<String[]> vectors = goldenVectors();

        assertThat(vectors).hasSizeGreaterThanOrEqualTo(5);
        for (String[] vector : vectors) {
            byte[] payload = HexFormat.of().parseHex(vector[1]);
            byte[] packet = HexFormat.of().parseHex(vector[2]);
            assertThat(Packets.encode(payload)).as(vector[0]).isEqualTo(packet);
            assertThat(Packets.decode(packet, 0, packet.length - 1)).as(vector[0]).isEqualTo(payload);
        }
    }

    @Test
    void flippedBitFailsCrc() {
        byte[] packet = Packets.encode(new byte[] {1, 2, 3, 4, 5});
        packet[2] ^= 0x10;

        assertThatThrownBy(() -> Packets.decode(packet, 0, packet.length - 1))
                .isInstanceOf(Packets.PacketException.class)
                .hasMessageContaining("CRC-32 mismatch");
    }

    @Test
    void readerResynchronisesAfterGarbage() throws IOException {
        byte[] first = Packets.encode(new byte[] {10, 0, 11});
        byte[] second = Packets.encode(new byte[] {20, 21});
        byte[] garbage = {7, 7, 7, 0, 9, (byte) 0xFF};
        byte[] torn = Arrays.copyOf(first, first.length - 3);
        byte[] stream = concat(garbage, torn, new byte[] {0}, first, second);
        List<String> drops = new ArrayList<>();
        PacketReader reader = new PacketReader(new ByteArrayInputStream(stream), drops::add);

        assertThat(reader.read()).containsExactly(10, 0, 11);
        assertThat(reader.read()).containsExactly(20, 21);
        assertThat(reader.read()).isNull();
        assertThat(drops).hasSize(2);
        assertThat(reader.droppedPackets()).isEqualTo(2);
    }

    @Test
    void readerKeepsPacketAtSizeLimit() {
        byte[] payload = new byte[200];
        Arrays.fill(payload, (byte) 7);
        byte[] packet = Packets.encode(payload);
        int limit = packet.length - 1;
        List<String> drops = new ArrayList<>();
        PacketReader exact = new PacketReader(null, limit, drops::add);
        PacketReader smaller = new PacketReader(null, limit - 1, drops::add);

        exact.accept(packet, 0, packet.length);
        smaller.accept(packet, 0, packet.length);

        assertThat(exact.poll()).isEqualTo(payload);
        assertThat(smaller.poll()).isNull();
        assertThat(drops).singleElement().asString().contains("exceeds " + (limit - 1) + " encoded bytes");
    }

    @Test
    void readerDropsOversizedPacketAndRecovers() throws IOException {
        byte[] oversized = new byte[100];
        Arrays.fill(oversized, (byte) 5);
        byte[] stream = concat(oversized, new byte[] {0}, Packets.encode(new byte[] {42}));
        List<String> drops = new ArrayList<>();
        PacketReader reader = new PacketReader(new ByteArrayInputStream(stream), 64, drops::add);

        assertThat(reader.read()).containsExactly(42);
        assertThat(drops).singleElement().asString().contains("exceeds 64 encoded bytes");
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] joined = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, joined, offset, part.length);
            offset += part.length;
        }
        return joined;
    }

    private static List<String[]> goldenVectors() throws IOException {
        return goldenVectors(GOLDEN);
    }

    /** Reads "name: payload_hex packet_hex" lines, with "-" for an empty payload. */
    static List<String[]> goldenVectors(Path file) throws IOException {
        List<String[]> vectors = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            assertThat(parts).as("golden line: " + line).hasSize(3);
            vectors.add(new String[] {parts[0].replace(":", ""), parts[1].equals("-") ? "" : parts[1], parts[2]});
        }
        return vectors;
    }
}
