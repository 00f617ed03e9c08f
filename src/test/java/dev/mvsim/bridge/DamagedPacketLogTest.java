package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DamagedPacketLogTest {

    @Test
    void countsEveryDroppedPacket() {
        DamagedPacketLog damage = new DamagedPacketLog("tcp:/127.0.0.1:1");

        for (int i = 0; i < 2500; i++) {
            damage.dropped("CRC mismatch");
        }

        assertThat(damage.dropped()).isEqualTo(2500);
    }

    @Test
    void logsFirstFewThenEveryThousandth() {
        DamagedPacketLog damage = new DamagedPacketLog("tcp:/127.0.0.1:1");
        int logged = 0;

        for (int i = 1; i <= 33_000; i++) {
            damage.dropped("CRC mismatch");
            logged += damage.wouldLog(i) ? 1 : 0;
        }

        assertThat(logged).isEqualTo(DamagedPacketLog.LOG_FIRST + 33);
    }
}
