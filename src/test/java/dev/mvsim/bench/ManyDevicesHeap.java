package dev.mvsim.bench;

import dev.mvsim.kernel.AppBuffer;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvChannelType;
import dev.mvsim.kernel.MvOpenChannelParams;
import dev.mvsim.kernel.MvSizedString;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.Out;
import dev.mvsim.kernel.VirtualClock;
import dev.mvsim.kernel.client.DeviceClient;
import dev.mvsim.link.InMemoryItemDirectory;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures the heap that N connected devices take, each with one open config-fetch channel, all on
 * one virtual clock. The only argument is the device count (default 10000). The program prints the
 * heap growth between a full GC before and a full GC after creating the devices.
 */
public final class ManyDevicesHeap {

    private ManyDevicesHeap() {
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        InMemoryItemDirectory directory = new InMemoryItemDirectory();
        VirtualClock clock = new VirtualClock();
        long before = usedHeapAfterGc();

        List<DeviceKernel> kernels = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String sid = String.format(Locale.ROOT, "UV%032x", i);
            DeviceKernel kernel = DeviceKernel.builder(sid, directory).clock(clock).seed(i).build();
            DeviceClient client = DeviceClient.on(kernel).connect();
            Out.Handle channel = new Out.Handle();
            MvStatus status = kernel.mvOpenChannel(new MvOpenChannelParams(1, client.centreHandle(), 1,
                    client.networkHandle(), new AppBuffer(0x3000_0000L, 4096), new AppBuffer(0x3001_0000L, 512),
                    MvChannelType.CONFIGFETCH.code(), MvSizedString.EMPTY), channel);
            if (status != MvStatus.OKAY) {
                throw new IllegalStateException("device " + i + ": mvOpenChannel returned " + status);
            }
            kernels.add(kernel);
        }

        long after = usedHeapAfterGc();
        System.out.printf(Locale.ROOT, "%d devices with an open channel: %.1f MB heap (%.1f KB per device)%n",
                kernels.size(), (after - before) / 1e6, (after - before) / 1e3 / kernels.size());
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
