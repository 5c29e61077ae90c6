package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.local.ShutdownSequence.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ShutdownSequenceTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final ShutdownSequence sequence = new ShutdownSequence(new PrintStream(printed, true, StandardCharsets.UTF_8));
    private final List<String> stopped = new CopyOnWriteArrayList<>();

    @Test
    void stopsInReverseOrderOnceAndGoesOnPastAFailureAndAHang() {
        CountDownLatch never = new CountDownLatch(1);
        sequence.add("broker", Duration.ofSeconds(5), () -> stopped.add("broker"));
        sequence.add("exporter", Duration.ofSeconds(5), () -> {
            stopped.add("exporter");
            throw new IllegalStateException("boom");
        });
        sequence.add("job", Duration.ofMillis(200), () -> {
            stopped.add("job");
            never.await();
        });
        sequence.add("generator", Duration.ofSeconds(5), () -> stopped.add("generator"));

        List<Outcome> outcomes = sequence.run();

        assertThat(stopped).containsExactly("generator", "job", "exporter", "broker");
        assertThat(outcomes).extracting(Outcome::name).containsExactly("generator", "job", "exporter", "broker");
        assertThat(outcomes.get(0).result()).matches("ok \\(\\d+\\.\\d s\\)");
        assertThat(outcomes.get(1).result()).isEqualTo("gave up after 0.2 s");
        assertThat(outcomes.get(2).result()).isEqualTo("failed: java.lang.IllegalStateException: boom");
        assertThat(outcomes.get(3).result()).matches("ok \\(\\d+\\.\\d s\\)");
        assertThat(printed.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "  stopped generator: " + outcomes.get(0).result(),
                "  stopped job: gave up after 0.2 s",
                "  stopped exporter: failed: java.lang.IllegalStateException: boom",
                "  stopped broker: " + outcomes.get(3).result());

        // a second run (the shutdown hook after the main thread, say) stops nothing again
        assertThat(sequence.run()).isSameAs(outcomes);
        assertThat(stopped).hasSize(4);
    }

    @Test
    void aConcurrentSecondCallerWaitsForTheFirstAndGetsItsOutcomes() throws Exception {
        CountDownLatch stopping = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        sequence.add("slow", Duration.ofSeconds(10), () -> {
            stopping.countDown();
            release.await();
            stopped.add("slow");
        });
        Thread first = new Thread(sequence::run);
        first.start();
        stopping.await();
        List<List<Outcome>> second = new CopyOnWriteArrayList<>();
        Thread hook = new Thread(() -> second.add(sequence.run()));
        hook.start();
        release.countDown();
        first.join();
        hook.join();

        assertThat(stopped).containsExactly("slow");
        assertThat(second).singleElement().satisfies(o -> assertThat(o).extracting(Outcome::name).containsExactly("slow"));
    }
}
