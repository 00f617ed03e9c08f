package dev.mvsim.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.Out;
import dev.mvsim.kernel.VirtualClock;
import dev.mvsim.kernel.client.DeviceClient;
import dev.mvsim.kernel.client.FetchOutcome;
import dev.mvsim.kernel.client.FetchResult;
import dev.mvsim.link.FaultPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

@Mvsim(seed = 5)
class MvsimExtensionTest {

    @Test
    void injectsOneConsistentSession(SimulatedCloud cloud, AccountRecord account, TestDevice device,
            DeviceKernel kernel, DeviceClient client, VirtualClock clock, FaultPlan plan) {
        assertThat(cloud.findDevice(account.sid(), device.sid())).isPresent();
        assertThat(kernel).isSameAs(device.kernel());
        assertThat(client).isSameAs(device.client());
        assertThat(clock).isSameAs(kernel.clock());
        assertThat(kernel.deviceSid()).isEqualTo(device.sid());
        assertThat(kernel.seed()).isEqualTo(5);
        assertThat(plan).isSameAs(FaultPlan.none());
    }

    @Test
    void fetchesItemsFromTheCloud(TestDevice device) {
        device.putAccountSecret("api-key", "s3cr3t").putDeviceConfig("prefs", "{}");

        FetchResult result = device.client().connect()
                .fetch(DeviceClient.accountSecret("api-key"), DeviceClient.deviceConfig("prefs")).await();

        assertThat(result.outcome()).isEqualTo(FetchOutcome.OK);
        assertThat(result.item("api-key").asString()).isEqualTo("s3cr3t");
        assertThat(result.item("prefs").asString()).isEqualTo("{}");
    }

    static FaultPlan slowLink() {
        return FaultPlan.builder().latency(Duration.ofSeconds(2)).build();
    }

    @Test
    @Mvsim(faultPlan = "slowLink", seed = 11)
    void methodAnnotationChoosesFaultPlan(FaultPlan plan, DeviceClient client) {
        client.connect();
        long start = client.kernel().clock().nowMicros();

        client.fetch(DeviceClient.accountConfig("missing")).await();

        assertThat(plan.latency()).isEqualTo(slowLink().latency());
        assertThat(client.kernel().clock().nowMicros() - start).isEqualTo(2_000_000);
    }

    @Test
    @Mvsim(scenario = "simulator/scenarios/server-errors.json")
    void scenarioFileChoosesFaultPlan(FaultPlan plan) {
        assertThat(plan.serverErrorKeys()).contains("password");
    }

    @Test
    void eachTestGetsFreshDevice(TestDevice device) {
        assertThat(device.kernel().trace()).isEmpty();
        assertThat(device.clock().nowMicros()).isZero();
    }

    // ---- failure messages, checked by running sample tests through the JUnit launcher ----

    private static boolean insideLauncher;

    static boolean insideLauncher() {
        return insideLauncher;
    }

    /** Sample tests that fail on purpose; they run only when this class launches them. */
    @Mvsim(seed = 77)
    @EnabledIf("dev.mvsim.junit.MvsimExtensionTest#insideLauncher")
    static class FailingSamples {

        @Test
        void failsAfterSyscalls(DeviceKernel kernel) {
            kernel.mvGetMicroseconds(new Out.U64());
            kernel.mvCloseChannel(new Out.Handle(99));
            assertThat(kernel.mvGetWallTime(new Out.U64())).isEqualTo(MvStatus.OKAY);
        }

        @Test
        void throwsAfterSyscalls(DeviceKernel kernel) {
            kernel.mvGetMicroseconds(null);
            throw new IllegalStateException("firmware model broke");
        }
    }

    private static List<Throwable> runFailingSamples() {
        List<Throwable> failures = new ArrayList<>();
        insideLauncher = true;
        try {
            LauncherFactory.create().execute(
                    LauncherDiscoveryRequestBuilder.request().selectors(selectClass(FailingSamples.class)).build(),
                    new TestExecutionListener() {
                        @Override
                        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                            if (test.isTest()) {
                                result.getThrowable().ifPresent(failures::add);
                            }
                        }
                    });
        } finally {
            insideLauncher = false;
        }
        return failures;
    }

    @Test
    void failureMessagesListSyscalls() {
        List<Throwable> failures = runFailingSamples();

        assertThat(failures).hasSize(2);
        Throwable assertion = failures.stream().filter(AssertionError.class::isInstance).findFirst().orElseThrow();
        assertThat(assertion.getMessage())
                .contains("expected: OKAY")
                .contains("(seed 77)")
                .containsSubsequence("mvGetMicroseconds", "MV_STATUS_OKAY",
                        "mvCloseChannel", "MV_STATUS_INVALIDHANDLE",
                        "mvGetWallTime", "MV_STATUS_TIMENOTSET");

        Throwable exception = failures.stream().filter(IllegalStateException.class::isInstance).findFirst()
                .orElseThrow();
        assertThat(exception.getSuppressed()).singleElement().satisfies(trace ->
                assertThat(trace.getMessage()).contains("mvGetMicroseconds").contains("MV_STATUS_PARAMETERFAULT"));
    }
}
