package dev.mvsim.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvEventType;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.VirtualClock;
import dev.mvsim.link.InMemoryItemDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** libmvhost's syscalls driven directly through JNA, with no firmware library. */
@Timeout(30)
class InProcessHostTest {

    private static final String DEVICE_SID = "UV0123456789abcdef0123456789abcdef";
    /** TIM8_BRK_IRQn on the STM32U585. */
    private static final int IRQ = 51;
    private static final int RING_RECORDS = 8;
    private static final int RECORD_BYTES = 16;

    private final VirtualClock clock = new VirtualClock(12_345);
    private final DeviceKernel kernel = DeviceKernel.builder(DEVICE_SID, new InMemoryItemDirectory()).clock(clock).build();

    @Test
    void syscallReadsKernelClock() {
        long[] microseconds = new long[1];
        try (InProcessHost host = InProcessHost.open(kernel, InProcessHost.InterruptMode.SYNCHRONOUS)) {
            int status = LibMvHost.mvGetMicroseconds(microseconds);

            assertThat(status).isEqualTo(MvStatus.OKAY.code());
            assertThat(microseconds[0]).isEqualTo(12_345);
            assertThat(host.stats().syscalls).isEqualTo(1);
        }
    }

    @Test
    void clockIsReadFromCacheAfterFirstReply() {
        long[] now = new long[1];
        try (InProcessHost host = InProcessHost.open(kernel, InProcessHost.InterruptMode.SYNCHRONOUS)) {
            assertThat(LibMvHost.mvhost_clock_now_us(now)).isZero();
            assertThat(LibMvHost.mvhost_clock_now_us(now)).isZero();

            assertThat(now[0]).isEqualTo(12_345);
            assertThat(host.stats().control_calls).isEqualTo(1);
        }
    }

    @Test
    void javaClockMoveReachesCacheAtOnce() {
        long[] now = new long[1];
        try (InProcessHost host = InProcessHost.open(kernel, InProcessHost.InterruptMode.SYNCHRONOUS)) {
            LibMvHost.mvhost_clock_now_us(now);

            kernel.advanceMicros(5_000);
            LibMvHost.mvhost_clock_now_us(now);

            assertThat(now[0]).isEqualTo(17_345);
            assertThat(host.stats().control_calls).isEqualTo(1);
        }
    }

    @Test
    void waitOnVirtualClockIsOneExchange() {
        long[] now = new long[1];
        try (InProcessHost host = InProcessHost.open(kernel, InProcessHost.InterruptMode.SYNCHRONOUS)) {
            LibMvHost.mvhost_clock_now_us(now);

            assertThat(LibMvHost.mvhost_clock_wait_us(250_000, 1_000)).isZero();
            LibMvHost.mvhost_clock_now_us(now);

            assertThat(now[0]).isEqualTo(262_345);
            assertThat(clock.nowMicros()).isEqualTo(262_345);
            assertThat(host.stats().control_calls).isEqualTo(2);
        }
    }

    @Test
    void closedHostLeavesSyscallsUnavailable() {
        InProcessHost.open(kernel, InProcessHost.InterruptMode.SYNCHRONOUS).close();

        int status = LibMvHost.mvGetMicroseconds(new long[1]);

        assertThat(status).isEqualTo(MvStatus.UNAVAILABLE.code());
    }

    @Test
    void secondOpenIsRejected() {
        try (InProcessHost host = InProcessHost.open(kernel, InProcessHost.InterruptMode.SYNCHRONOUS)) {
            assertThatThrownBy(() -> InProcessHost.open(kernel, InProcessHost.InterruptMode.SYNCHRONOUS))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(DEVICE_SID);
        }
    }

    @Test
    void notificationFromJavaReachesRing() {
        try (Memory ring = new Memory(RING_RECORDS * RECORD_BYTES);
             Memory setup = new Memory(24);
             Memory centre = new Memory(8);
             Memory params = new Memory(24);
             Memory network = new Memory(8)) {
            ring.clear();
            InProcessHost host = InProcessHost.open(kernel, InProcessHost.InterruptMode.SYNCHRONOUS);
            try {
                // struct MvNotificationSetup on LP64: irq at 0, buffer at 8, buffer_size at 16.
                setup.setInt(0, IRQ);
                setup.setPointer(8, ring);
                setup.setInt(16, RING_RECORDS * RECORD_BYTES);
                assertThat(call("mvSetupNotifications", setup, centre)).isEqualTo(MvStatus.OKAY.code());

                // struct MvRequestNetworkParams on LP64: version at 0, handle at 8, tag at 16.
                params.setInt(0, 1);
                params.setPointer(8, centre.getPointer(0));
                params.setInt(16, 7);
                assertThat(call("mvRequestNetwork", params, network)).isEqualTo(MvStatus.OKAY.code());

                // Time passes from Java, outside any syscall, so the delivery thread writes the records.
                kernel.advanceMicros(5_000_000);
            } finally {
                host.close();
            }

            // Slot 0 came back in mvRequestNetwork's reply. Slot 1, the change to CONNECTED after
            // the connect delay, fell due while Java moved the clock, so the delivery thread wrote
            // it, and close() has waited for that thread.
            assertThat(ring.getInt(8)).as("slot 0 event").isEqualTo(MvEventType.NETWORKSTATUSCHANGED.code());
            assertThat(ring.getInt(RECORD_BYTES + 8)).as("slot 1 event").isEqualTo(MvEventType.NETWORKSTATUSCHANGED.code());
            assertThat(ring.getInt(RECORD_BYTES + 12)).as("slot 1 tag").isEqualTo(7);
            assertThat(ring.getLong(RECORD_BYTES)).as("slot 1 microseconds").isGreaterThan(12_345);
        }
    }

    private static int call(String syscall, Object... arguments) {
        return Function.getFunction(LibMvHost.LIBRARY.getName(), syscall).invokeInt(arguments);
    }
}
