package dev.mvsim.jna;

import static dev.mvsim.jna.AppCalls.SYSCALLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.Out;
import dev.mvsim.kernel.TraceEntry;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.ItemStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Calls libmvhost answers itself give exactly what the Java kernel gives: the kernel checks every
 * REPORT, so a test here fails on any divergence when its host closes. Every case the cached
 * state cannot decide must still reach the kernel.
 */
class LocalAnswersTest {

    private static final String SECRET = "api-key";
    private static final String VALUE = "s3cr3t-value";

    @RegisterExtension
    final InProcessDevice device = new InProcessDevice("local-answers");
    private DeviceKernel kernel;
    private InProcessHost host;
    private final AppCalls app = new AppCalls();

    @BeforeEach
    void openFetchedChannel() {
        device.cloud.createItem(ItemId.account(device.account.sid(), ItemStore.SECRET, SECRET), VALUE);
        FaultPlan instantLink = FaultPlan.builder().connectDelay(Duration.ZERO).latency(Duration.ZERO).build();
        host = device.open(builder -> builder.faultPlan(instantLink).seed(11));
        kernel = host.kernel();

        assertThat(app.setupNotifications()).isZero();
        assertThat(app.requestNetwork()).isZero();
        assertThat(app.openChannel()).isZero();
        // With no link delay the response arrives before this exchange returns, with its state.
        assertThat(app.sendFetch(SECRET, "missing")).isZero();
    }

    @Test
    void cachedReadsNeedNoExchange() {
        Memory data = AppCalls.zeroed(8);
        AppCalls.ItemRead found = new AppCalls.ItemRead(0, 64);
        AppCalls.ItemRead missing = new AppCalls.ItemRead(1, 64);
        LibMvHost.mvhost_stats before = host.stats();

        assertThat(SYSCALLS.mvReadConfigFetchResponseData(app.channelHandle(), data)).isZero();
        assertThat(SYSCALLS.mvReadConfigResponseItem(app.channelHandle(), found.params)).isZero();
        assertThat(SYSCALLS.mvReadConfigResponseItem(app.channelHandle(), missing.params)).isZero();
        LibMvHost.mvhost_stats after = host.stats();

        assertThat(data.getInt(0)).as("fetch result").isZero();
        assertThat(data.getInt(4)).as("item count").isEqualTo(2);
        assertThat(found.result.getInt(0)).as("found item's result").isZero();
        assertThat(found.valueText()).isEqualTo(VALUE);
        assertThat(missing.result.getInt(0)).as("missing item's result: KEYNOTFOUND").isEqualTo(1);
        assertThat(missing.length.getInt(0)).isZero();
        assertThat(after.exchanges).isEqualTo(before.exchanges);
        assertThat(after.local_answers - before.local_answers).isEqualTo(3);
    }

    @Test
    void reportsReachKernelOnFlush() {
        AppCalls.ItemRead found = new AppCalls.ItemRead(0, 64);
        assertThat(SYSCALLS.mvReadConfigResponseItem(app.channelHandle(), found.params)).isZero();

        List<TraceEntry> trace = host.kernel().trace();

        assertThat(trace.get(trace.size() - 1).call()).isEqualTo("mvReadConfigResponseItem");
        assertThat(trace.get(trace.size() - 1).status()).isEqualTo(MvStatus.OKAY);
        assertThat(host.divergences()).isZero();
    }

    @Test
    void nullResponseDataGoesToKernel() {
        assertThat(device.exchangedOnce(
                () -> SYSCALLS.mvReadConfigFetchResponseData(app.channelHandle(), Pointer.NULL)))
                .isEqualTo(MvStatus.PARAMETERFAULT.code());
    }

    @Test
    void nullItemResultGoesToKernel() {
        AppCalls.ItemRead read = new AppCalls.ItemRead(0, 64);
        read.params.setPointer(8, Pointer.NULL);

        assertThat(device.exchangedOnce(() -> SYSCALLS.mvReadConfigResponseItem(app.channelHandle(), read.params)))
                .isEqualTo(MvStatus.PARAMETERFAULT.code());
    }

    @Test
    void shortItemBufferGoesToKernel() {
        AppCalls.ItemRead read = new AppCalls.ItemRead(0, 4);

        assertThat(device.exchangedOnce(() -> SYSCALLS.mvReadConfigResponseItem(app.channelHandle(), read.params)))
                .isEqualTo(MvStatus.INVALIDBUFFERSIZE.code());
        assertThat(read.length.getInt(0)).as("full length for a retry").isEqualTo(VALUE.length());
    }

    @Test
    void wrongHandleGoesToKernel() {
        Memory data = AppCalls.zeroed(8);

        assertThat(device.exchangedOnce(() -> SYSCALLS.mvReadConfigFetchResponseData(app.channelHandle() ^ 1, data)))
                .isEqualTo(MvStatus.INVALIDHANDLE.code());
    }

    @Test
    void indexOutOfRangeGoesToKernel() {
        AppCalls.ItemRead read = new AppCalls.ItemRead(2, 64);

        assertThat(device.exchangedOnce(() -> SYSCALLS.mvReadConfigResponseItem(app.channelHandle(), read.params)))
                .isEqualTo(MvStatus.INDEXINVALID.code());
    }

    @Test
    void closedChannelGoesToKernel() {
        Memory data = AppCalls.zeroed(8);
        Memory networkCopy = AppCalls.handleSlot();
        networkCopy.setLong(0, app.network.getLong(0));
        // The network still carries the channel, so the kernel releases it and closes the channel.
        assertThat(device.exchangedOnce(() -> SYSCALLS.mvReleaseNetwork(networkCopy))).isZero();

        assertThat(device.exchangedOnce(() -> SYSCALLS.mvReadConfigFetchResponseData(app.channelHandle(), data)))
                .isEqualTo(MvStatus.CHANNELCLOSED.code());
    }

    @Test
    void teardownIsPostedAndApplied() {
        long channel = app.channelHandle();
        LibMvHost.mvhost_stats before = host.stats();

        assertThat(SYSCALLS.mvCloseChannel(app.channel)).isZero();
        assertThat(SYSCALLS.mvReleaseNetwork(app.network)).isZero();
        assertThat(SYSCALLS.mvCloseNotifications(app.centre)).isZero();
        LibMvHost.mvhost_stats after = host.stats();

        assertThat(app.channel.getLong(0)).isZero();
        assertThat(app.network.getLong(0)).isZero();
        assertThat(app.centre.getLong(0)).isZero();
        assertThat(after.exchanges).isEqualTo(before.exchanges);
        assertThat(after.local_answers - before.local_answers).isEqualTo(3);
        assertThat(host.kernel().mvCloseChannel(new Out.Handle(channel))).as("channel already closed")
                .isEqualTo(MvStatus.INVALIDHANDLE);
    }

    @Test
    void closingTwiceGoesToKernel() {
        Memory stale = AppCalls.handleSlot();
        stale.setLong(0, app.channelHandle());
        assertThat(SYSCALLS.mvCloseChannel(app.channel)).isZero();

        assertThat(device.exchangedOnce(() -> SYSCALLS.mvCloseChannel(stale))).isEqualTo(MvStatus.INVALIDHANDLE.code());
        assertThat(device.exchangedOnce(() -> SYSCALLS.mvCloseChannel(Pointer.NULL)))
                .isEqualTo(MvStatus.PARAMETERFAULT.code());
    }

    @Test
    void divergenceFailsHostClose() {
        Memory data = AppCalls.zeroed(8);
        // Closed behind libmvhost's back, so its cached answer no longer matches the kernel.
        assertThat(kernel.mvCloseChannel(new Out.Handle(app.channelHandle()))).isEqualTo(MvStatus.OKAY);
        assertThat(SYSCALLS.mvReadConfigFetchResponseData(app.channelHandle(), data)).isZero();

        assertThatThrownBy(host::close).isInstanceOf(AssertionError.class)
                .hasMessageContaining("mvReadConfigFetchResponseData")
                .hasMessageContaining("the kernel INVALIDHANDLE");
    }
}
