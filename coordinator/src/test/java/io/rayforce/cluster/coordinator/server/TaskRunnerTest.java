package io.rayforce.cluster.coordinator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.store.FencedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskRunnerTest {
    private static final ShardRef T0 = new ShardRef("t", 0);
    private static final ShardRef T1 = new ShardRef("t", 1);
    private static final long HALF_SECOND = TimeUnit.MILLISECONDS.toNanos(500);

    private final List<Long> lookAgainIn = new CopyOnWriteArrayList<>();
    private final TaskRunner runner = new TaskRunner(2, lookAgainIn::add);

    @AfterEach
    void close() {
        runner.close();
    }

    @Test
    void aShardRunsOneTaskAtATimeAndAskForAPassWhenItEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Void> first = runner.submit(T0, "re-fill", () -> {
            runs.incrementAndGet();
            release.await();
        });
        CompletableFuture<Void> second = runner.submit(T0, "repair", runs::incrementAndGet);
        assertThat(second).isSameAs(first);
        assertThat(runner.isRunning(T0)).isTrue();
        assertThat(runner.running()).containsExactly(T0);

        // another shard runs beside it
        runner.submit(T1, "drop", runs::incrementAndGet).get(5, TimeUnit.SECONDS);
        release.countDown();
        first.get(5, TimeUnit.SECONDS);
        assertThat(runs).hasValue(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> !runner.isRunning(T0) && lookAgainIn.size() == 2);
        assertThat(lookAgainIn).containsOnly(0L);
        assertThat(runner.retryTimes()).isEmpty();
    }

    @Test
    void aFailedTaskBacksItsShardOffLongerEachTimeUntilOneSucceeds() throws Exception {
        long before = System.nanoTime();
        CompletableFuture<Void> failed = runner.submit(T0, "repair", () -> {
            throw new IllegalStateException("copy failed");
        });
        assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        long firstRetry = runner.retryTimes().get(T0);
        assertThat(firstRetry).isBetween(before + HALF_SECOND, System.nanoTime() + HALF_SECOND);
        await().atMost(Duration.ofSeconds(5)).until(() -> lookAgainIn.contains(0L));
        assertThat(lookAgainIn).contains(HALF_SECOND);

        runner.backOff(T0, "no node can take t/0");
        assertThat(runner.retryTimes().get(T0)).isGreaterThan(firstRetry);
        assertThat(lookAgainIn).contains(TimeUnit.MILLISECONDS.toNanos(1000));

        runner.submit(T0, "repair", () -> { }).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.retryTimes().isEmpty());
        long again = System.nanoTime();
        runner.backOff(T0, "again");
        assertThat(runner.retryTimes().get(T0)).as("counting starts over").isBetween(again + HALF_SECOND, System.nanoTime() + HALF_SECOND);
    }

    @Test
    void backoffsDoubleFrom500MillisecondsUpTo30Seconds() {
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 8, 50).stream().map(TaskRunner::backoffMillis).toList())
                .containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);
    }

    @Test
    void closingFailsWhatIsRunningAndRefusesNewTasks() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Void> running = runner.submit(T0, "copy", () -> {
            started.countDown();
            Thread.sleep(60_000);
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        runner.close();
        // failed by the close, or by the interrupt that ends the task first
        assertThatThrownBy(() -> running.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(e.getCause()).isInstanceOfAny(FencedException.class, InterruptedException.class));
        assertThatThrownBy(() -> runner.submit(T1, "copy", () -> { }).get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(FencedException.class);
        runner.execute(() -> {
            throw new AssertionError("runs after close");
        });
        assertThat(runner.isRunning(T1)).isFalse();
    }
}
