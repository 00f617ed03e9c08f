package dev.mvsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.ItemStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random sequences of raw calls, checked against the kernel's invariants after every step. */
class KernelProperties {

    /** One step: which call, which known handle it picks, and a number for sizes, tags or times. */
    record Step(int call, int pick, long number) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.integers().between(0, 11),
                Arbitraries.integers().between(0, 1000),
                Arbitraries.longs().between(0, 3_000_000)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(50);
    }

    @Property(tries = 100)
    void invariantsHold(@ForAll("steps") List<Step> steps, @ForAll long seed) {
        new Run(seed).play(steps);
    }

    /** Drives one kernel and keeps the model the invariants are checked against. */
    private static final class Run {
        private final KernelFixture fixture;
        private final DeviceKernel kernel;
        private final List<Long> known = new ArrayList<>();
        private final Set<Long> everIssued = new HashSet<>();
        private final Set<Long> live = new HashSet<>();
        private final Set<Long> centres = new HashSet<>();
        private final Map<Long, Long> delivered = new HashMap<>();
        private final Map<Long, Long> takenRecords = new HashMap<>();
        private final Map<Integer, Integer> readablePerTag = new HashMap<>();
        private final Set<Integer> sentTags = new HashSet<>();
        private final Map<Long, Integer> tagOfChannel = new HashMap<>();
        private final String seedText;
        private int nextIrq = 41;
        private int nextTag = 100;

        Run(long seed) {
            FaultPlan plan = FaultPlan.builder()
                    .latencyBetween(Duration.ofMillis(1), Duration.ofMillis(900))
                    .connectDelay(Duration.ofMillis(150))
                    .dropConnectionAt(Duration.ofSeconds(4))
                    .downBetween(Duration.ofSeconds(9), Duration.ofSeconds(11))
                    .serverErrorFor("broken")
                    .build();
            this.fixture = new KernelFixture(plan, KernelConfig.DEFAULTS, seed);
            this.kernel = fixture.kernel;
            this.seedText = "kernel seed " + seed;
            fixture.directory.putAccountItem(ItemStore.CONFIG, "host", "example.com");
            kernel.setNotificationListener(delivery -> {
                delivered.merge(delivery.centreHandle(), 1L, Long::sum);
                if (delivery.record().eventType() == MvEventType.CHANNELDATAREADABLE) {
                    readablePerTag.merge(delivery.record().tag(), 1, Integer::sum);
                }
            });
        }

        void play(List<Step> steps) {
            for (Step step : steps) {
                MvStatus status = apply(step);
                assertThat(status).as(() -> seedText + " step " + step + "\n" + kernel.formatTrace())
                        .isNotEqualTo(MvStatus.INTERNALERROR);
                drainRings();
                checkInvariants();
            }
            kernel.runUntilIdle();
            drainRings();
            checkInvariants();

            KernelStats stats = kernel.stats();
            assertThat(stats.fetchesPending()).as("no fetch left pending once idle").isZero();
            assertThat(stats.fetchesArrived() + stats.fetchesFailed() + stats.fetchesAbandoned())
                    .as("every fetch ends in exactly one outcome").isEqualTo(stats.fetchesSent());
            for (Map.Entry<Integer, Integer> entry : readablePerTag.entrySet()) {
                assertThat(entry.getValue()).as("CHANNELDATAREADABLE count for tag %d", entry.getKey()).isEqualTo(1);
            }
        }

        private long pick(Step step) {
            if (known.isEmpty() || step.pick() % 10 == 0) {
                return step.number() * 7919;
            }
            return known.get(step.pick() % known.size());
        }

        private MvStatus apply(Step step) {
            long handle = pick(step);
            return switch (step.call()) {
                case 0 -> setupCentre(step);
                case 1 -> close(handle, kernel::mvCloseNotifications);
                case 2, 3 -> requestNetwork(handle);
                case 4 -> close(handle, kernel::mvReleaseNetwork);
                case 5, 6 -> openChannel(step);
                case 7 -> close(handle, kernel::mvCloseChannel);
                case 8 -> send(handle);
                case 9 -> kernel.mvReadConfigFetchResponseData(handle, new MvConfigResponseData());
                case 10 -> kernel.mvGetNetworkStatus(handle, new Out.Value<>());
                default -> {
                    kernel.advanceMicros(step.number());
                    yield MvStatus.OKAY;
                }
            };
        }

        private MvStatus setupCentre(Step step) {
            Out.Handle out = new Out.Handle();
            MvStatus status = kernel.mvSetupNotifications(new MvNotificationSetup(nextIrq, fixture.buffer(32 * 16)), out);
            if (status == MvStatus.OKAY) {
                nextIrq = nextIrq == 124 ? 41 : nextIrq + 1;
                centres.add(out.value);
                issued(out.value);
            }
            return status;
        }

        private MvStatus requestNetwork(long centre) {
            Out.Handle out = new Out.Handle();
            MvStatus status = kernel.mvRequestNetwork(new MvRequestNetworkParams(1, centre, 1), out);
            if (status == MvStatus.OKAY) {
                issued(out.value);
            }
            return status;
        }

        private MvStatus openChannel(Step step) {
            long centre = centres.isEmpty() ? 0 : centres.iterator().next();
            long network = known.isEmpty() ? 0 : known.get(step.pick() % known.size());
            int tag = nextTag++;
            Out.Handle out = new Out.Handle();
            MvStatus status = kernel.mvOpenChannel(new MvOpenChannelParams(1, centre, tag, network,
                    fixture.buffer(1024), fixture.buffer(512), MvChannelType.CONFIGFETCH.code(), MvSizedString.EMPTY), out);
            if (status == MvStatus.OKAY) {
                issued(out.value);
                tagOfChannel.put(out.value, tag);
            }
            return status;
        }

        private MvStatus send(long channel) {
            MvStatus status = kernel.mvSendConfigFetchRequest(channel, KernelFixture.request(
                    KernelFixture.key(0, 1, "host"), KernelFixture.key(1, 0, "broken")));
            if (status == MvStatus.OKAY) {
                assertThat(sentTags.add(tagOfChannel.get(channel))).as("one request per channel").isTrue();
            }
            return status;
        }

        private MvStatus close(long handle, Function<Out.Handle, MvStatus> call) {
            Out.Handle inOut = new Out.Handle(handle);
            MvStatus status = call.apply(inOut);
            if (status == MvStatus.OKAY) {
                assertThat(inOut.value).as("closing writes zero back").isZero();
                assertThat(live.remove(handle)).as("closed handle %d was live", handle).isTrue();
                centres.remove(handle);
            } else {
                assertThat(inOut.value).as("a failed close leaves the handle").isEqualTo(handle);
            }
            return status;
        }

        private void issued(long handle) {
            assertThat(handle).as("handle is a non-zero 32-bit value").isBetween(1L, 0xFFFF_FFFFL);
            assertThat(everIssued.add(handle)).as("handle %d issued twice (%s)", handle, seedText).isTrue();
            live.add(handle);
            known.add(handle);
        }

        private void drainRings() {
            for (long centre : centres) {
                takenRecords.merge(centre, (long) kernel.takeNotifications(centre).size(), Long::sum);
            }
        }

        private void checkInvariants() {
            assertThat(kernel.stats().liveHandles()).as("live handles (%s)", seedText).isEqualTo(live.size());
            for (long centre : centres) {
                assertThat(kernel.notificationOverruns(centre)).as("overruns while the app keeps up").isZero();
                assertThat(takenRecords.getOrDefault(centre, 0L)).as("no record lost for centre %d", centre)
                        .isEqualTo(delivered.getOrDefault(centre, 0L));
            }
        }
    }
}
