package dev.mvsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClocksAndIdentityTest {

    private final KernelFixture fixture = new KernelFixture();
    private final DeviceKernel kernel = fixture.kernel;

    @Test
    void microsecondsFollowTheClock() {
        Out.U64 micros = new Out.U64();
        fixture.clock.advanceTo(1_234_567);

        assertThat(kernel.mvGetMicroseconds(micros)).isEqualTo(MvStatus.OKAY);
        assertThat(micros.value).isEqualTo(1_234_567);
    }

    @Test
    void hugeAdvanceStopsAtLatestTime() {
        fixture.clock.advanceTo(1_000);

        kernel.advanceMicros(Long.MAX_VALUE);

        assertThat(kernel.clock().nowMicros()).isEqualTo(DeviceKernel.LATEST_TIME);
    }

    @Test
    void hugeWaitStopsAtLatestTime() {
        fixture.clock.advanceTo(1_000);

        assertThat(kernel.advanceMicrosUntil(Long.MAX_VALUE - 10, 1_000, () -> false))
                .isEqualTo(DeviceKernel.LATEST_TIME);
    }

    @Test
    void microsecondsNullPointer() {
        assertThat(kernel.mvGetMicroseconds(null)).isEqualTo(MvStatus.PARAMETERFAULT);
    }

    @Test
    void wallTimeNotSetBeforeFirstConnection() {
        Out.U64 wall = new Out.U64();

        assertThat(kernel.mvGetWallTime(wall)).isEqualTo(MvStatus.TIMENOTSET);
        assertThat(wall.value).isZero();
    }

    @Test
    void wallTimeSetOnceConnected() {
        fixture.connect();
        Out.U64 wall = new Out.U64();
        Out.U64 micros = new Out.U64();

        assertThat(kernel.mvGetWallTime(wall)).isEqualTo(MvStatus.OKAY);
        kernel.mvGetMicroseconds(micros);
        assertThat(wall.value).isEqualTo(KernelConfig.DEFAULT_WALL_TIME_AT_BOOT_MICROS + micros.value);
    }

    @Test
    void wallTimeStaysSetAfterRelease() {
        KernelFixture.Connected connected = fixture.connect();
        kernel.mvReleaseNetwork(new Out.Handle(connected.network()));
        kernel.advance(Duration.ofSeconds(1));

        assertThat(kernel.mvGetWallTime(new Out.U64())).isEqualTo(MvStatus.OKAY);
    }

    @Test
    void wallTimeNullPointer() {
        assertThat(kernel.mvGetWallTime(null)).isEqualTo(MvStatus.PARAMETERFAULT);
    }

    @Test
    void deviceIdWritesTheSid() {
        byte[] target = new byte[35];

        assertThat(kernel.mvGetDeviceId(fixture.buffer(34), target)).isEqualTo(MvStatus.OKAY);
        assertThat(new String(target, 0, 34, StandardCharsets.US_ASCII)).isEqualTo(KernelFixture.DEVICE_SID);
        assertThat(target[34]).as("no terminator written").isZero();
    }

    @Test
    void deviceIdWrongLength() {
        for (int length : new int[] {0, 33, 35, 64, -1}) {
            assertThat(kernel.mvGetDeviceId(new AppBuffer(0x1000, length), new byte[64]))
                    .as("len %d", Integer.toUnsignedLong(length))
                    .isEqualTo(MvStatus.INVALIDBUFFERSIZE);
        }
    }

    @Test
    void deviceIdNullBuffer() {
        assertThat(kernel.mvGetDeviceId(null, new byte[34])).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvGetDeviceId(new AppBuffer(0, 34), new byte[34])).isEqualTo(MvStatus.PARAMETERFAULT);
    }

    @Test
    void deviceIdBufferWrappingAddressSpace() {
        assertThat(kernel.mvGetDeviceId(new AppBuffer(-10, 34), new byte[34])).isEqualTo(MvStatus.PARAMETERFAULT);
    }

    @Test
    void deviceIdMissingTargetIsInternalError() {
        assertThat(kernel.mvGetDeviceId(fixture.buffer(34), null)).isEqualTo(MvStatus.INTERNALERROR);
        assertThat(kernel.trace()).last().extracting(TraceEntry::status).isEqualTo(MvStatus.INTERNALERROR);
    }
}
