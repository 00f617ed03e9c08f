package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.Opcode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SessionFrames hands each frame it decoded to the session, so that the session need not decode it again. */
class SessionFramesDecodeTest {

    private final RecordingSession session = new RecordingSession();
    private final SessionFrames frames = new SessionFrames("UV01", "test peer", session, new BridgeStats());

    @Test
    void requestReachesSessionDecoded() {
        Frame.Request request = new Frame.Request(7, Opcode.MV_GET_MICROSECONDS, true, List.of(Field.Pointer.at(0x1000)));
        byte[] packet = FrameCodec.encode(request);

        frames.serve(packet);

        assertThat(session.decoded).containsExactly(request);
        assertThat(session.bytes).containsExactly(packet);
        assertThat(session.undecoded).isEmpty();
    }

    @Test
    void reportReachesSessionDecoded() {
        Frame.Report report = new Frame.Report(8, Opcode.MV_GET_MICROSECONDS, List.of(Field.Pointer.at(0x1000)), 0,
                List.of(new Field.U64(5)));

        byte[] reply = frames.serve(FrameCodec.encode(report));

        assertThat(reply).isNull();
        assertThat(session.decoded).containsExactly(report);
        assertThat(session.undecoded).isEmpty();
    }

    @Test
    void damagedReportReachesSessionAsBytes() {
        Frame.Report report = new Frame.Report(9, Opcode.MV_GET_MICROSECONDS, List.of(Field.Pointer.at(0x1000)), 0,
                List.of(new Field.U64(5)));
        byte[] encoded = FrameCodec.encode(report);
        byte[] truncated = Arrays.copyOf(encoded, encoded.length - 1);

        frames.serve(truncated);

        assertThat(session.decoded).isEmpty();
        assertThat(session.undecoded).containsExactly(truncated);
    }

    /** Records which form of each frame the bridge passed, and replies with no frames. */
    private static final class RecordingSession implements BridgeSession {

        final List<Frame> decoded = new ArrayList<>();
        final List<byte[]> bytes = new ArrayList<>();
        final List<byte[]> undecoded = new ArrayList<>();

        @Override
        public byte[] exchange(byte[] frame) {
            undecoded.add(frame);
            return new byte[0];
        }

        @Override
        public byte[] exchange(Frame frame, byte[] frameBytes) {
            decoded.add(frame);
            bytes.add(frameBytes);
            return new byte[0];
        }

        @Override
        public void close() {
        }
    }
}
