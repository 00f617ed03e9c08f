package dev.mvsim.host;

import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.Opcode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each call that libmvhost answered itself against the kernel and compares the kernel's
 * status and outputs with the ones libmvhost gave the app. A difference is a divergence: it is
 * counted, described with the outputs but no bytes value (it can be a secret) and logged at ERROR.
 */
final class ReportChecker {

    private static final Logger log = LoggerFactory.getLogger(ReportChecker.class);

    /** Descriptions kept for test failure messages; the count goes on past this. */
    private static final int MAX_DESCRIPTIONS = 16;

    private final SyscallDispatcher syscalls;
    private final DeviceKernel kernel;
    private final HandleReservations reservations;
    private final String deviceSid;
    private final AtomicLong divergences = new AtomicLong();
    private volatile LongAdder alsoCountIn;

    private final List<String> descriptions = new ArrayList<>();

    ReportChecker(SyscallDispatcher syscalls, DeviceKernel kernel, HandleReservations reservations) {
        this.syscalls = syscalls;
        this.kernel = kernel;
        this.reservations = reservations;
        this.deviceSid = kernel.deviceSid();
    }

    /** Runs a reported syscall against the kernel and compares the answers. */
    void check(Frame.Report report) {
        compare(report, run(report));
    }

    /** Compares a reported answer with the kernel's own answer to the same call. */
    void compare(Frame.Report report, Frame.Response kernel) {
        if (kernel.status() == report.status() && sameFields(kernel.outputs(), report.outputs())) {
            return;
        }

        diverge(report, difference(report, kernel));
    }

    /**
     * Checks a SLEEP or WAIT that libmvhost ran by itself in a quiet window. It must have ended
     * before {@code windowEndMicros} (the kernel's next event, or the end of a down window), or the
     * app missed what happened there. The kernel's replay must also reach the same time.
     */
    void checkQuietTime(Frame.Report report, long windowEndMicros, Frame.Response kernel) {
        long reached = clockOf(report.outputs());
        if (Long.compareUnsigned(reached, windowEndMicros) >= 0) {
            diverge(report, "libmvhost moved the clock to " + Long.toUnsignedString(reached)
                    + " µs by itself, past the kernel's next event at " + windowEndMicros + " µs");
            return;
        }
        compare(report, kernel);
    }

    private void diverge(Frame.Report report, String difference) {
        String description = report.opcode().cName() + " (report sequence " + Integer.toUnsignedString(report.sequence())
                + "): " + difference;
        divergences.incrementAndGet();
        LongAdder shared = alsoCountIn;
        if (shared != null) {
            shared.increment();
        }
        synchronized (descriptions) {
            if (descriptions.size() < MAX_DESCRIPTIONS) {
                descriptions.add(description);
            }
        }
        log.error("device {}: libmvhost's local answer diverged from the kernel on {}", deviceSid, description);
    }

    /**
     * Runs the reported call. A centre, network request or channel that libmvhost created with a
     * handle this session reserved gets that handle in the kernel too. Any other handle is not
     * bound, so the kernel issues its own and the comparison counts a divergence.
     */
    private Frame.Response run(Frame.Report report) {
        Opcode opcode = report.opcode();
        boolean creates = opcode == Opcode.MV_SETUP_NOTIFICATIONS || opcode == Opcode.MV_REQUEST_NETWORK
                || opcode == Opcode.MV_OPEN_CHANNEL;
        if (creates && report.status() == MvStatus.OKAY.code() && !report.outputs().isEmpty()
                && report.outputs().get(0) instanceof Field.U64 handle && reservations.take(handle.value())) {
            return kernel.withReservedHandle(handle.value(), () -> syscalls.dispatch(report.request()));
        }
        return syscalls.dispatch(report.request());
    }

    /** Counts every later divergence in {@code total} too, for a front end that serves many sessions. */
    void alsoCountIn(LongAdder total) {
        this.alsoCountIn = total;
    }

    long divergences() {
        return divergences.get();
    }

    List<String> descriptions() {
        synchronized (descriptions) {
            return List.copyOf(descriptions);
        }
    }

    /**
     * Says how the answers differ: the clock each side reached for a SLEEP or WAIT, else the
     * statuses and the outputs. A bytes output shows only its length, since it can be a secret.
     */
    private static String difference(Frame.Report report, Frame.Response kernel) {
        if (report.opcode().isHarnessControl()) {
            return "libmvhost moved the clock to " + Long.toUnsignedString(clockOf(report.outputs()))
                    + " µs, the kernel to " + Long.toUnsignedString(clockOf(kernel.outputs())) + " µs";
        }
        return "libmvhost answered " + statusName(report.status()) + " with " + report.outputs() + ", the kernel "
                + statusName(kernel.status()) + " with " + kernel.outputs();
    }

    /** Compares two field lists by index, which allocates no iterator as {@code List.equals} does. */
    private static boolean sameFields(List<Field> first, List<Field> second) {
        int size = first.size();
        if (size != second.size()) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (!Objects.equals(first.get(i), second.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Returns the clock a SLEEP or WAIT answer carries; the codec checked its schema, so it is there. */
    private static long clockOf(List<Field> outputs) {
        return ((Field.U64) outputs.get(0)).value();
    }


    private static String statusName(int code) {
        MvStatus status = MvStatus.fromCode(Integer.toUnsignedLong(code));
        return status == null ? "status 0x" + Integer.toHexString(code) : status.name();
    }
}
