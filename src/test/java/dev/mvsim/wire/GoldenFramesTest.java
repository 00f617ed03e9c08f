package dev.mvsim.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoldenFramesTest {

    private static final Path GOLDEN = Path.of("native", "tests", "golden", "frames.txt");

    @Test
    void everyGoldenFrameReencodesToSameBytes() throws IOException, FrameFormatException {
        Map<String, byte[]> frames = load();

        assertThat(frames).hasSizeGreaterThanOrEqualTo(16);
        for (Map.Entry<String, byte[]> entry : frames.entrySet()) {
            Frame frame = FrameCodec.decode(entry.getValue());
            assertThat(FrameCodec.encode(frame)).as(entry.getKey()).isEqualTo(entry.getValue());
        }
    }

    @Test
    void nullPointerFrameMarksPointerAbsent() throws IOException, FrameFormatException {
        Frame frame = FrameCodec.decode(load().get("get_microseconds_request_null"));

        assertThat(frame).isEqualTo(new Frame.Request(2, Opcode.MV_GET_MICROSECONDS, true, List.of(Field.Pointer.ABSENT)));
    }

    @Test
    void configFetchFrameCarriesKeys() throws IOException, FrameFormatException {
        Frame.Request request = (Frame.Request) FrameCodec.decode(load().get("send_config_fetch_request"));
        Field.FieldList keys = (Field.FieldList) request.arguments().get(4);

        assertThat(request.opcode()).isEqualTo(Opcode.MV_SEND_CONFIG_FETCH_REQUEST);
        assertThat(keys.elements()).hasSize(2);
        assertThat(keys.elements().get(0).get(4)).isEqualTo(new Field.Bytes("api-key".getBytes(StandardCharsets.US_ASCII)));
        assertThat(keys.elements().get(1).get(0)).isEqualTo(new Field.U32(1));
    }

    @Test
    void notificationFrameCarriesRingSlot() throws IOException, FrameFormatException {
        Frame frame = FrameCodec.decode(load().get("notification_channel_data_readable"));

        assertThat(frame).isEqualTo(new Frame.Notification(9, 0x5a17c0deL, 0x20000200L, 3, 2_500_000L, 2, 2, 51,
                new Field.Bytes(new byte[0])));
    }

    @Test
    void noReplyFlagDecodes() throws IOException, FrameFormatException {
        Frame.Request request = (Frame.Request) FrameCodec.decode(load().get("server_log_request_no_reply"));

        assertThat(request.replyExpected()).isFalse();
    }

    @Test
    void configResponseStateCarriesItems() throws IOException, FrameFormatException {
        Frame.State state = (Frame.State) FrameCodec.decode(load().get("state_config_response"));
        Field.FieldList items = (Field.FieldList) state.fields().get(2);

        assertThat(state.opcode()).isEqualTo(StateOpcode.CONFIG_RESPONSE);
        assertThat(state.fields().get(0)).isEqualTo(new Field.U64(0x1234abcdL));
        assertThat(items.elements()).hasSize(2);
        assertThat(items.elements().get(0).get(1)).isEqualTo(new Field.Bytes("s3cr3t-value".getBytes(StandardCharsets.US_ASCII)));
        assertThat(items.elements().get(1)).containsExactly(new Field.U32(1), new Field.Bytes(new byte[0]));
    }

    @Test
    void networkStateCarriesHandleAndStatus() throws IOException, FrameFormatException {
        Frame.State state = (Frame.State) FrameCodec.decode(load().get("state_network"));

        assertThat(state.sequence()).isEqualTo(14);
        assertThat(state.opcode()).isEqualTo(StateOpcode.NETWORK);
        assertThat(state.fields()).containsExactly(new Field.U64(0x0badf00dL), new Field.U32(1));
        assertThat(FrameCodec.encode(state)).isEqualTo(load().get("state_network"));
    }

    @Test
    void reservedHandlesStateCarriesConditionsAndHandles() throws IOException, FrameFormatException {
        Frame.State state = (Frame.State) FrameCodec.decode(load().get("state_reserved_handles"));

        assertThat(state.sequence()).isEqualTo(15);
        assertThat(state.opcode()).isEqualTo(StateOpcode.RESERVED_HANDLES);
        assertThat(state.fields()).containsExactly(
                new Field.U32(StateOpcode.RESERVED_SETUP_FREE | StateOpcode.RESERVED_STATUS_KNOWN
                        | StateOpcode.RESERVED_HOLDERS_LISTED), new Field.U32(1),
                new Field.FieldList(List.of(List.of(new Field.U64(0x0badf00dL)), List.of(new Field.U64(0x5a17c0deL)))),
                new Field.FieldList(List.of(List.of(new Field.U64(0x1234abcdL)))));
        assertThat(FrameCodec.encode(state)).isEqualTo(load().get("state_reserved_handles"));
    }

    @Test
    void quietStateCarriesNextEventTime() throws IOException, FrameFormatException {
        Frame.State state = (Frame.State) FrameCodec.decode(load().get("state_quiet"));

        assertThat(state.sequence()).isEqualTo(16);
        assertThat(state.opcode()).isEqualTo(StateOpcode.QUIET);
        assertThat(state.fields()).containsExactly(new Field.U64(2_650_000L));
        assertThat(FrameCodec.encode(state)).isEqualTo(load().get("state_quiet"));
    }

    @Test
    void openBudgetStateCarriesLimitsAndOpens() throws IOException, FrameFormatException {
        Frame.State state = (Frame.State) FrameCodec.decode(load().get("state_open_budget"));

        assertThat(state.sequence()).isEqualTo(17);
        assertThat(state.opcode()).isEqualTo(StateOpcode.OPEN_BUDGET);
        assertThat(state.fields()).containsExactly(new Field.U32(3), new Field.U32(8), new Field.U64(1_000_000),
                new Field.FieldList(List.of(List.of(new Field.U64(2_600_000L)), List.of(new Field.U64(2_650_000L)))));
        assertThat(FrameCodec.encode(state)).isEqualTo(load().get("state_open_budget"));
    }

    @Test
    void liveHandlesStateListsEachKind() throws IOException, FrameFormatException {
        Frame.State state = (Frame.State) FrameCodec.decode(load().get("state_live_handles"));

        assertThat(state.sequence()).isEqualTo(18);
        assertThat(state.opcode()).isEqualTo(StateOpcode.LIVE_HANDLES);
        assertThat(state.fields()).containsExactly(
                new Field.FieldList(List.of(List.of(new Field.U64(0x5a17c0deL), new Field.U64(0x20000200L),
                        new Field.U32(128)))),
                new Field.FieldList(List.of(List.of(new Field.U64(0x0badf00dL)))),
                new Field.FieldList(List.of(List.of(new Field.U64(0x1234abcdL), new Field.U64(0x5a17c0deL),
                        new Field.U32(7), new Field.U64(0x0badf00dL), new Field.U64(0x20000400L), new Field.U32(512),
                        new Field.U64(0x20000600L), new Field.U32(512), new Field.U32(0)))));
        assertThat(FrameCodec.encode(state)).isEqualTo(load().get("state_live_handles"));
    }

    @Test
    void waitReportHoldsDurationStepAndClock() throws IOException, FrameFormatException {
        Frame.Report report = (Frame.Report) FrameCodec.decode(load().get("report_wait"));

        assertThat(report.opcode()).isEqualTo(Opcode.HARNESS_WAIT);
        assertThat(report.arguments()).containsExactly(new Field.U64(2_000), new Field.U64(1_000));
        assertThat(report.status()).isZero();
        assertThat(report.outputs()).containsExactly(new Field.U64(2_602_000L));
        assertThat(FrameCodec.encode(report)).isEqualTo(load().get("report_wait"));
    }

    @Test
    void reportHoldsRequestAndResponse() throws IOException, FrameFormatException {
        Map<String, byte[]> frames = load();
        Frame.Report report = (Frame.Report) FrameCodec.decode(frames.get("report_read_config_response_item"));
        Frame.Request request = (Frame.Request) FrameCodec.decode(frames.get("read_config_response_item_request"));
        Frame.Response response = (Frame.Response) FrameCodec.decode(frames.get("read_config_response_item_response"));

        assertThat(report.opcode()).isEqualTo(Opcode.MV_READ_CONFIG_RESPONSE_ITEM);
        assertThat(report.arguments()).isEqualTo(request.arguments());
        assertThat(report.status()).isEqualTo(response.status());
        assertThat(report.outputs()).isEqualTo(response.outputs());
    }

    @Test
    void closeReportZeroesHandle() throws IOException, FrameFormatException {
        Frame.Report report = (Frame.Report) FrameCodec.decode(load().get("report_close_channel"));

        assertThat(report.arguments()).containsExactly(Field.Pointer.at(0x20000480L), new Field.U64(0x1234abcdL));
        assertThat(report.status()).isZero();
        assertThat(report.outputs()).containsExactly(new Field.U64(0));
    }

    @Test
    void clockStateFramesCarryKindAndTime() throws IOException, FrameFormatException {
        Map<String, byte[]> frames = load();

        assertThat(FrameCodec.decode(frames.get("state_clock_virtual")))
                .isEqualTo(Frame.State.clock(12, StateOpcode.CLOCK_VIRTUAL, 2_600_000L));
        assertThat(FrameCodec.decode(frames.get("state_clock_wall")))
                .isEqualTo(Frame.State.clock(13, StateOpcode.CLOCK_WALL, 90_061_000_123L));
    }

    static Map<String, byte[]> load() throws IOException {
        Map<String, byte[]> frames = new LinkedHashMap<>();
        for (String line : Files.readAllLines(GOLDEN, StandardCharsets.UTF_8)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            frames.put(trimmed.substring(0, colon).strip(), HexFormat.of().parseHex(trimmed.substring(colon + 1).strip()));
        }
        return frames;
    }
}
