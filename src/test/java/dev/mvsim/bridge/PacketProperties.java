package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class PacketProperties {

    @Property(tries = 1000)
    void payloadRoundTrips(@ForAll @Size(max = 1200) byte[] payload) throws Exception {
        byte[] packet = Packets.encode(payload);

        assertThat(packet).hasSizeLessThanOrEqualTo(Cobs.maxEncodedLength(payload.length + 4) + 1);
        assertThat(Packets.decode(packet, 0, packet.length - 1)).isEqualTo(payload);
    }

    @Property(tries = 300)
    void encodingIntoArrayMatchesPacket(@ForAll @Size(max = 1200) byte[] payload, @ForAll byte filler) {
        byte[] target = new byte[Packets.maxPacketBytes(payload.length) + 8];
        Arrays.fill(target, filler);

        int length = Packets.encode(payload, target);

        assertThat(Arrays.copyOf(target, length)).isEqualTo(Packets.encode(payload));
        assertThat(length).isLessThanOrEqualTo(Packets.maxPacketBytes(payload.length));
    }

    @Property(tries = 200)
    void readerJoinsPacketsSplitAnywhere(@ForAll @Size(max = 600) byte[] first, @ForAll @Size(max = 600) byte[] second,
            @ForAll @Size(min = 1, max = 40) List<Integer> cuts) {
        byte[] stream = PacketsTest.concat(Packets.encode(first), Packets.encode(second));
        PacketReader reader = new PacketReader(null, reason -> { });

        int offset = 0;
        for (int cut : cuts) {
            int length = Math.min(Math.floorMod(cut, 97), stream.length - offset);
            reader.accept(stream, offset, length);
            offset += length;
        }
        reader.accept(stream, offset, stream.length - offset);

        assertThat(reader.poll()).isEqualTo(first);
        assertThat(reader.poll()).isEqualTo(second);
        assertThat(reader.poll()).isNull();
        assertThat(reader.droppedPackets()).isZero();
    }

    @Property(tries = 2000)
    void randomBytesNeverBreakReader(@ForAll @Size(max = 600) byte[] noise) throws IOException {
        List<String> drops = new ArrayList<>();
        PacketReader reader = new PacketReader(new ByteArrayInputStream(noise), 256, drops::add);

        int packets = 0;
        while (reader.read() != null) {
            packets++;
        }

        assertThat(packets + drops.size()).isLessThanOrEqualTo(noise.length / 2 + 1);
        assertThat(drops).allSatisfy(reason -> assertThat(reason).isNotBlank());
    }

    @Property(tries = 1000)
    void noiseBeforePacketLosesOnlyNoise(@ForAll @Size(max = 300) byte[] noise, @ForAll @Size(max = 300) byte[] payload)
            throws IOException {
        byte[] stream = PacketsTest.concat(noise, new byte[] {0}, Packets.encode(payload));
        PacketReader reader = new PacketReader(new ByteArrayInputStream(stream), reason -> { });

        byte[] last = null;
        byte[] packet;
        while ((packet = reader.read()) != null) {
            last = packet;
        }

        assertThat(last).isEqualTo(payload);
    }

    @Property(tries = 300)
    void streamReaderJoinsPacketsSplitAnywhere(@ForAll @Size(min = 16, max = 600) byte[] first,
            @ForAll @Size(min = 16, max = 600) byte[] second, @ForAll @Size(min = 1, max = 40) List<Integer> cuts) {
        first[0] = 'M';
        first[1] = 'V';
        second[0] = 'M';
        second[1] = 'V';
        byte[] stream = PacketsTest.concat(StreamPackets.encode(first), StreamPackets.encode(second));
        StreamPacketReader reader = new StreamPacketReader();

        int offset = 0;
        for (int cut : cuts) {
            int length = Math.min(Math.floorMod(cut, 97), stream.length - offset);
            reader.accept(stream, offset, length);
            offset += length;
        }
        reader.accept(stream, offset, stream.length - offset);

        assertThat(reader.poll()).isEqualTo(first);
        assertThat(reader.poll()).isEqualTo(second);
        assertThat(reader.poll()).isNull();
        assertThat(reader.failure()).isNull();
        assertThat(reader.partialBytes()).isZero();
    }

    @Property(tries = 2000)
    void randomBytesNeverBreakStreamReader(@ForAll @Size(max = 600) byte[] noise,
            @ForAll @Size(min = 1, max = 8) List<Integer> cuts) {
        StreamPacketReader reader = new StreamPacketReader(256);

        int offset = 0;
        for (int cut : cuts) {
            int length = Math.min(Math.floorMod(cut, 200), noise.length - offset);
            reader.accept(noise, offset, length);
            offset += length;
        }
        reader.accept(noise, offset, noise.length - offset);

        int packets = 0;
        byte[] packet;
        while ((packet = reader.poll()) != null) {
            packets++;
            assertThat(packet).hasSizeBetween(StreamPackets.MIN_PAYLOAD_BYTES, 256);
            assertThat(packet[0]).isEqualTo((byte) 'M');
            assertThat(packet[1]).isEqualTo((byte) 'V');
        }
        assertThat(packets * (StreamPackets.LENGTH_BYTES + StreamPackets.MIN_PAYLOAD_BYTES))
                .isLessThanOrEqualTo(noise.length);
        assertThat(reader.partialBytes()).isLessThanOrEqualTo(StreamPackets.LENGTH_BYTES + 256);
        if (reader.failure() != null) {
            assertThat(reader.partialBytes()).isZero();
        }
    }

    @Property(tries = 1000)
    void damagedStreamPacketStopsReader(@ForAll @Size(min = 16, max = 300) byte[] payload, @ForAll byte noise,
            @ForAll int position) {
        payload[0] = 'M';
        payload[1] = 'V';
        byte[] stream = PacketsTest.concat(StreamPackets.encode(payload), StreamPackets.encode(payload));
        int damaged = StreamPackets.LENGTH_BYTES + payload.length + Math.floorMod(position, 6);
        stream[damaged] = noise;
        StreamPacketReader reader = new StreamPacketReader(1024);

        reader.accept(stream, 0, stream.length);

        assertThat(reader.poll()).isEqualTo(payload);
        byte[] second = reader.poll();
        if (second != null) {
            assertThat(second).hasSizeBetween(StreamPackets.MIN_PAYLOAD_BYTES, 1024);
        } else {
            assertThat(reader.failure() != null || reader.partialBytes() > 0).isTrue();
        }
    }

    @Property(tries = 1000)
    void randomHandshakeBytesFailCleanly(@ForAll @Size(max = 120) byte[] tail, @ForAll byte type) {
        byte[] message = PacketsTest.concat(new byte[] {'H', 'S', type}, tail);

        try {
            HandshakeMessage decoded = HandshakeMessage.decode(message);
            assertThat(decoded.encode()).hasSizeLessThanOrEqualTo(message.length);
        } catch (HandshakeException rejected) {
            assertThat(rejected.reason()).isEqualTo(RejectReason.MALFORMED);
            assertThat(rejected.getMessage()).isNotBlank();
        }
    }
}
