package dev.pulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ThreadCpuTest {

    @Test
    void readsTicksAfterTheNameWhateverTheNameHolds() {
        String stat = "4242 (admit-ad -> (ad) R 1 2 3 4 5 6 7 8 9 10 1234 56 0 0 20 0 80 0 99";
        ThreadCpu.Reading r = ThreadCpu.parse(stat);
        assertThat(r.name()).isEqualTo("admit-ad -> (ad");
        assertThat(r.ticks()).isEqualTo(1234 + 56);
        assertThat(ThreadCpu.parse("garbage")).isNull();
    }

    @Test
    void groupsTheThreadsOfOneKindTogether() {
        assertThat(ThreadCpu.group("GC Thread#1")).isEqualTo("GC Thread");
        assertThat(ThreadCpu.group("pool-3-thread-2")).isEqualTo("pool-3-thread");
        assertThat(ThreadCpu.group("rocksdb:high")).isEqualTo("rocksdb:high");
        assertThat(ThreadCpu.group("admit-ad -> (ad")).isEqualTo("admit-ad -> (ad");
    }

    @Test
    void countsWhatAThreadUsesAfterTheStart() throws Exception {
        CountDownLatch measuring = new CountDownLatch(1);
        try (ThreadCpu cpu = ThreadCpu.start(() -> {
            measuring.countDown();
            return true;
        })) {
            assertThat(cpu).as("this test runs on Linux, as CI does").isNotNull();
            assertThat(measuring.await(10, TimeUnit.SECONDS)).isTrue();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            CountDownLatch spun = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread spinner = new Thread(() -> {
                long id = Thread.currentThread().getId();
                while (threads.getThreadCpuTime(id) < TimeUnit.MILLISECONDS.toNanos(300)) {
                    Thread.onSpinWait();
                }
                spun.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "busy-spinner");
            spinner.start();
            assertThat(spun.await(30, TimeUnit.SECONDS)).isTrue();
            Map<String, Double> seconds = cpu.secondsByThread();
            release.countDown();
            spinner.join();
            // 300 ms of CPU in ticks of 10 ms (Linux's figure may trail the JVM's a little); the spinner started
            // after the measurement did, so all of it counts
            assertThat(seconds.get("busy-spinner")).isBetween(0.2, 0.6);
        }
    }
}
