package dev.mvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.kernel.AppBuffer;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvChannelType;
import dev.mvsim.kernel.MvConfigKeyFetchParams;
import dev.mvsim.kernel.MvConfigKeyToFetch;
import dev.mvsim.kernel.MvNetworkStatus;
import dev.mvsim.kernel.MvNotificationSetup;
import dev.mvsim.kernel.MvOpenChannelParams;
import dev.mvsim.kernel.MvRequestNetworkParams;
import dev.mvsim.kernel.MvSizedString;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.Out;
import dev.mvsim.kernel.VirtualClock;
import dev.mvsim.link.InMemoryItemDirectory;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A device kernel built with the fault plan of serve's link options, on a virtual clock, connects,
 * drops and completes fetches at the times the options give.
 */
class LinkTimingKernelTest {

    private static final String DEVICE_SID = "UV0123456789abcdef0123456789abcdef";
    private static final int NETWORK_TAG = 1;
    private static final int CHANNEL_TAG = 2;
    private static final Duration DEVICE_TIME_LIMIT = Duration.ofMinutes(1);

    private final InMemoryItemDirectory directory =
            new InMemoryItemDirectory().putAccountItem(ItemStore.CONFIG, "greeting", "hello");
    private final VirtualClock clock = new VirtualClock();
    private long centre;
    private long network;

    /** Builds a kernel as the bridge does for a device of {@code mvsim serve} with these options. */
    private DeviceKernel kernelFor(String... serveArguments) {
        CliEnvironment environment = new CliEnvironment(Map.of(), new ByteArrayInputStream(new byte[0]), null,
                new InProcessLifecycle());
        ServeCommand command = new ServeCommand(environment);
        new CommandLine(command).parseArgs(serveArguments);
        return DeviceKernel.builder(DEVICE_SID, directory).clock(clock)
                .faultPlan(command.linkTiming().faultPlan()).build();
    }

    private void requestNetwork(DeviceKernel kernel) {
        Out.Handle handle = new Out.Handle();
        assertThat(kernel.mvSetupNotifications(new MvNotificationSetup(41, new AppBuffer(0x2000_0000L, 16 * 16)),
                handle)).isEqualTo(MvStatus.OKAY);
        centre = handle.value;
        assertThat(kernel.mvRequestNetwork(new MvRequestNetworkParams(1, centre, NETWORK_TAG), handle))
                .isEqualTo(MvStatus.OKAY);
        network = handle.value;
    }

    private MvNetworkStatus status(DeviceKernel kernel) {
        Out.Value<MvNetworkStatus> status = new Out.Value<>();
        assertThat(kernel.mvGetNetworkStatus(network, status)).isEqualTo(MvStatus.OKAY);
        return status.value;
    }

    /** Runs the kernel until the network reaches {@code expected} and returns the clock then, in microseconds. */
    private long runUntilStatus(DeviceKernel kernel, MvNetworkStatus expected) {
        boolean reached = kernel.runUntil(() -> status(kernel) == expected, DEVICE_TIME_LIMIT);
        assertThat(reached).as(expected + " within " + DEVICE_TIME_LIMIT + " of device time").isTrue();
        return clock.nowMicros();
    }

    @Test
    void connectDelayOptionSetsConnectTime() {
        DeviceKernel kernel = kernelFor("--bridge-port", "0", "--bridge-connect-delay", "1.5s");

        requestNetwork(kernel);

        assertThat(runUntilStatus(kernel, MvNetworkStatus.CONNECTED)).isEqualTo(1_500_000);
    }

    @Test
    void linkDownOptionDropsAndReconnects() {
        DeviceKernel kernel = kernelFor("--bridge-port", "0", "--bridge-connect-delay", "100ms",
                "--bridge-link-down", "5s+2s", "--bridge-link-down", "10s+0s");
        requestNetwork(kernel);
        assertThat(runUntilStatus(kernel, MvNetworkStatus.CONNECTED)).isEqualTo(100_000);

        assertThat(runUntilStatus(kernel, MvNetworkStatus.CONNECTING)).as("first drop").isEqualTo(5_000_000);
        assertThat(runUntilStatus(kernel, MvNetworkStatus.CONNECTED)).as("back after the window and the delay")
                .isEqualTo(7_100_000);
        assertThat(runUntilStatus(kernel, MvNetworkStatus.CONNECTING)).as("second drop").isEqualTo(10_000_000);
        assertThat(runUntilStatus(kernel, MvNetworkStatus.CONNECTED)).as("back after the delay alone")
                .isEqualTo(10_100_000);
    }

    @Test
    void latencyOptionSetsFetchTime() {
        DeviceKernel kernel = kernelFor("--bridge-port", "0", "--bridge-connect-delay", "0s",
                "--bridge-latency", "300ms");
        requestNetwork(kernel);
        runUntilStatus(kernel, MvNetworkStatus.CONNECTED);
        Out.Handle channel = new Out.Handle();
        MvOpenChannelParams params = new MvOpenChannelParams(1, centre, CHANNEL_TAG, network,
                new AppBuffer(0x2001_0000L, 4096), new AppBuffer(0x2002_0000L, 512), MvChannelType.CONFIGFETCH.code(),
                MvSizedString.EMPTY);
        assertThat(kernel.mvOpenChannel(params, channel)).isEqualTo(MvStatus.OKAY);
        MvConfigKeyToFetch greeting = new MvConfigKeyToFetch(ItemScope.ACCOUNT.ordinal(), ItemStore.CONFIG.ordinal(),
                MvSizedString.of("greeting"));
        long sentAt = clock.nowMicros();

        assertThat(kernel.mvSendConfigFetchRequest(channel.value,
                new MvConfigKeyFetchParams(1, new MvConfigKeyToFetch[] {greeting}))).isEqualTo(MvStatus.OKAY);
        boolean arrived = kernel.runUntil(() -> !kernel.arrivedConfigResponses(centre, CHANNEL_TAG).isEmpty(),
                DEVICE_TIME_LIMIT);

        assertThat(arrived).as("response within " + DEVICE_TIME_LIMIT + " of device time").isTrue();
        assertThat(clock.nowMicros() - sentAt).isEqualTo(300_000);
    }
}
