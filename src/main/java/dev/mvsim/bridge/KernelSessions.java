package dev.mvsim.bridge;

import dev.mvsim.host.DeviceSession;
import dev.mvsim.kernel.Clock;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.VirtualClock;
import dev.mvsim.kernel.WallClock;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.ItemDirectory;
import java.io.ByteArrayOutputStream;
import java.util.Objects;

/**
 * Opens a fresh {@link DeviceKernel} for each authenticated connection, on the clock the device
 * asked for, fetching items from the cloud's directory as that device. The kernel lives as long as
 * the connection: a device that reconnects starts with no handles, as after a reboot.
 */
public final class KernelSessions implements BridgeSessionFactory {

    private final ItemDirectory directory;
    private final ClockChoice defaultClock;
    private final FaultPlan faultPlan;

    /**
     * @param defaultClock the clock of devices that leave the choice to the server; VIRTUAL or WALL
     */
    public KernelSessions(ItemDirectory directory, ClockChoice defaultClock, FaultPlan faultPlan) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.faultPlan = Objects.requireNonNull(faultPlan, "faultPlan");
        if (defaultClock == ClockChoice.SERVER_DEFAULT) {
            throw new IllegalArgumentException("the default clock must be VIRTUAL or WALL, got " + defaultClock);
        }
        this.defaultClock = defaultClock;
    }

    @Override
    public BridgeSession open(String deviceSid, ClockChoice clock) {
        ClockChoice chosen = clock == ClockChoice.SERVER_DEFAULT ? defaultClock : clock;
        Clock kernelClock = chosen == ClockChoice.WALL ? new WallClock() : new VirtualClock();
        DeviceKernel kernel = DeviceKernel.builder(deviceSid, directory)
                .clock(kernelClock)
                .faultPlan(faultPlan)
                .build();
        return new KernelSession(new DeviceSession(kernel));
    }

    /** Gathers the frames the host session emits for one request into one reply. */
    private static final class KernelSession implements BridgeSession {

        private final DeviceSession session;
        private final ByteArrayOutputStream reply = new ByteArrayOutputStream();

        KernelSession(DeviceSession session) {
            this.session = session;
        }

        @Override
        public byte[] exchange(byte[] frame) {
            reply.reset();
            session.handle(frame, reply::writeBytes);
            return reply.toByteArray();
        }

        @Override
        public void close() {
            session.close();
        }
    }
}
