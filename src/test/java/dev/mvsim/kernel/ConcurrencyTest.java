package dev.mvsim.kernel;

import static dev.mvsim.kernel.KernelFixture.key;
import static dev.mvsim.kernel.KernelFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.link.FaultPlan;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An app thread, a timer thread and an interrupt thread calling one kernel at once. */
@Timeout(30)
class ConcurrencyTest {

    private static final int FETCHES = 200;

    @Test
    void threeThreadsShareKernel() throws Exception {
        KernelFixture fixture = new KernelFixture(FaultPlan.builder().latency(Duration.ofMillis(5)).build());
        KernelFixture.Connected connected = fixture.connect();
        DeviceKernel kernel = fixture.kernel;
        ConcurrentLinkedQueue<MvStatus> unexpected = new ConcurrentLinkedQueue<>();
        AtomicInteger records = new AtomicInteger();

        // The "interrupt handler" re-enters the kernel from the listener, as a C front end may.
        kernel.setNotificationListener(delivery -> {
            records.incrementAndGet();
            MvStatus status = kernel.mvGetMicroseconds(new Out.U64());
            if (status != MvStatus.OKAY) {
                unexpected.add(status);
            }
            kernel.acknowledgeNotification(delivery.centreHandle(), delivery.slot());
        });

        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> timer = threads.submit(() -> {
                for (int i = 0; i < FETCHES * 20; i++) {
                    kernel.advanceMicros(1_000);
                }
            });
            Future<?> app = threads.submit(() -> {
                for (int i = 0; i < FETCHES; i++) {
                    Out.Handle channel = new Out.Handle();
                    MvStatus opened = kernel.mvOpenChannel(fixture.channelParams(connected, 1024, 512), channel);
                    if (opened == MvStatus.RATELIMITED) {
                        continue;
                    }
                    check(opened, List.of(MvStatus.OKAY), unexpected);
                    check(kernel.mvSendConfigFetchRequest(channel.value, request(key(0, 1, "host"))),
                            List.of(MvStatus.OKAY), unexpected);
                    check(kernel.mvReadConfigFetchResponseData(channel.value, new MvConfigResponseData()),
                            List.of(MvStatus.OKAY, MvStatus.RESPONSENOTPRESENT), unexpected);
                    check(kernel.mvCloseChannel(channel), List.of(MvStatus.OKAY), unexpected);
                }
            });
            timer.get(20, TimeUnit.SECONDS);
            app.get(20, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        kernel.runUntilIdle();

        assertThat(unexpected).isEmpty();
        KernelStats stats = kernel.stats();
        assertThat(stats.fetchesPending()).isZero();
        assertThat(stats.fetchesArrived() + stats.fetchesAbandoned()).isEqualTo(stats.fetchesSent());
        assertThat(records.get()).as("one record per arrived fetch").isEqualTo((int) stats.fetchesArrived());
        assertThat(kernel.notificationOverruns(connected.centre())).isZero();
    }

    private static void check(MvStatus status, List<MvStatus> allowed, ConcurrentLinkedQueue<MvStatus> unexpected) {
        if (!allowed.contains(status)) {
            unexpected.add(status);
        }
    }
}
