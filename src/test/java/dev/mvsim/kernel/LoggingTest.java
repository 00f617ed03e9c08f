package dev.mvsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.link.FaultPlan;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoggingTest {

    private final KernelFixture fixture = new KernelFixture();
    private final DeviceKernel kernel = fixture.kernel;

    private static byte[] text(String message) {
        return message.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void serverLogCapturesMessages() {
        assertThat(kernel.mvServerLoggingInit(fixture.buffer(1024))).isEqualTo(MvStatus.OKAY);

        assertThat(kernel.mvServerLog(text("hello world"), 5)).isEqualTo(MvStatus.OKAY);
        assertThat(kernel.serverLog()).containsExactly("hello");
    }

    @Test
    void serverLogBeforeInit() {
        assertThat(kernel.mvServerLog(text("x"), 1)).isEqualTo(MvStatus.UNAVAILABLE);
    }

    @Test
    void serverLogInitBufferRules() {
        AppBuffer aligned = fixture.buffer(2048);

        assertThat(kernel.mvServerLoggingInit(null)).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvServerLoggingInit(AppBuffer.NULL)).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvServerLoggingInit(new AppBuffer(aligned.address() + 8, 1024)))
                .isEqualTo(MvStatus.INVALIDBUFFERALIGNMENT);
        assertThat(kernel.mvServerLoggingInit(new AppBuffer(aligned.address(), 1000)))
                .isEqualTo(MvStatus.INVALIDBUFFERSIZE);
        assertThat(kernel.mvServerLoggingInit(new AppBuffer(aligned.address(), 0)))
                .isEqualTo(MvStatus.INVALIDBUFFERSIZE);
    }

    @Test
    void serverLogInitTwice() {
        AppBuffer first = fixture.buffer(1024);

        assertThat(kernel.mvServerLoggingInit(first)).isEqualTo(MvStatus.OKAY);
        assertThat(kernel.mvServerLoggingInit(first)).isEqualTo(MvStatus.OKAY);
        assertThat(kernel.mvServerLoggingInit(fixture.buffer(4096))).isEqualTo(MvStatus.OKAY);
    }

    @Test
    void serverLogBadMessage() {
        kernel.mvServerLoggingInit(fixture.buffer(4096));

        assertThat(kernel.mvServerLog(null, 1)).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvServerLog(text("ab"), 3)).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvServerLog(new byte[1025], 1025)).isEqualTo(MvStatus.LOGMESSAGETOOLONG);
        assertThat(kernel.mvServerLog(new byte[1024], 1024)).isEqualTo(MvStatus.OKAY);
    }

    @Test
    void serverLogLengthIsSixteenBits() {
        kernel.mvServerLoggingInit(fixture.buffer(4096));

        assertThat(kernel.mvServerLog(text("abc"), 0x1_0003)).isEqualTo(MvStatus.OKAY);
        assertThat(kernel.serverLog()).containsExactly("abc");
    }

    @Test
    void serverLogQueueFullWhileOffline() {
        kernel.mvServerLoggingInit(fixture.buffer(512));
        byte[] message = new byte[248];

        // Each message takes 8 + 248 = 256 bytes, so two fill the 512-byte buffer.
        assertThat(kernel.mvServerLog(message, 248)).isEqualTo(MvStatus.OKAY);
        assertThat(kernel.mvServerLog(message, 248)).isEqualTo(MvStatus.OKAY);
        assertThat(kernel.mvServerLog(message, 1)).isEqualTo(MvStatus.INVALIDBUFFERSIZE);
        assertThat(kernel.queuedServerLogBytes()).isEqualTo(512);
    }

    @Test
    void serverLogQueueEmptiesOnConnect() {
        kernel.mvServerLoggingInit(fixture.buffer(512));
        kernel.mvServerLog(new byte[504], 504);

        fixture.connect();

        assertThat(kernel.queuedServerLogBytes()).isZero();
        assertThat(kernel.mvServerLog(new byte[504], 504)).isEqualTo(MvStatus.OKAY);
        assertThat(kernel.mvServerLog(new byte[504], 504)).as("online messages do not wait").isEqualTo(MvStatus.OKAY);
    }

    @Test
    void serverLogDisabledByServer() {
        KernelFixture disabled = new KernelFixture(FaultPlan.none(),
                KernelConfig.DEFAULTS.withLoggingDisabledByServer(true));
        disabled.kernel.mvServerLoggingInit(disabled.buffer(1024));

        assertThat(disabled.kernel.mvServerLog(text("x"), 1)).isEqualTo(MvStatus.LOGGINGDISABLEDBYSERVER);
    }

    @Test
    void testLoggingOutsideTestMode() {
        assertThat(kernel.mvTestLoggingInit(fixture.buffer(1024))).isEqualTo(MvStatus.UNAVAILABLE);
        assertThat(kernel.mvTestLog(text("x"), 1)).isEqualTo(MvStatus.UNAVAILABLE);
        assertThat(kernel.mvTestingComplete(0)).isEqualTo(MvStatus.UNAVAILABLE);
        assertThat(kernel.testingCompleteStatus()).isNull();
    }

    @Test
    void testLoggingInTestMode() {
        KernelFixture factory = new KernelFixture(FaultPlan.none(), KernelConfig.DEFAULTS.withApplicationTestMode(true));
        DeviceKernel device = factory.kernel;

        assertThat(device.mvTestLog(text("early"), 5)).isEqualTo(MvStatus.UNAVAILABLE);
        assertThat(device.mvTestLoggingInit(new AppBuffer(0x2000_0010L, 1024))).isEqualTo(MvStatus.INVALIDBUFFERALIGNMENT);
        assertThat(device.mvTestLoggingInit(factory.buffer(1024))).isEqualTo(MvStatus.OKAY);
        assertThat(device.mvTestLog(text("self test passed"), 16)).isEqualTo(MvStatus.OKAY);
        assertThat(device.mvTestLog(null, 1)).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(device.mvTestLog(new byte[2000], 2000)).isEqualTo(MvStatus.LOGMESSAGETOOLONG);
        assertThat(device.mvTestingComplete(3)).isEqualTo(MvStatus.OKAY);

        assertThat(device.testLog()).containsExactly("self test passed");
        assertThat(device.testingCompleteStatus()).isEqualTo(3);
    }

    @Test
    void logBufferIsInUseForChannels() {
        KernelFixture.Connected connected = fixture.connect();
        AppBuffer logBuffer = fixture.buffer(1024);
        kernel.mvServerLoggingInit(logBuffer);

        MvOpenChannelParams params = new MvOpenChannelParams(1, connected.centre(), 0, connected.network(),
                logBuffer, fixture.buffer(512), MvChannelType.CONFIGFETCH.code(), MvSizedString.EMPTY);
        assertThat(kernel.mvOpenChannel(params, new Out.Handle())).isEqualTo(MvStatus.BUFFERALREADYINUSE);
    }
}
