package io.rayforce.cluster.coordinator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class WorkersTest {

    @Test
    void threadsAreNamedDaemons() {
        Thread t = Workers.daemons("placement-worker").newThread(() -> { });
        assertThat(t.getName()).isEqualTo("placement-worker");
        assertThat(t.isDaemon()).isTrue();
    }

    @Test
    void awaitAllWaitsForEveryFutureAndThrowsTheFailureItself() throws Exception {
        Workers.awaitAll(List.of(CompletableFuture.runAsync(() -> { }), CompletableFuture.completedFuture(null)));
        Workers.awaitAll(List.of());

        TimeoutException timeout = new TimeoutException("node n1 still holds replicas");
        assertThatThrownBy(() -> Workers.awaitAll(List.of(CompletableFuture.completedFuture(null), CompletableFuture.failedFuture(timeout))))
                .isSameAs(timeout);
        IllegalStateException inside = new IllegalStateException("create failed");
        CompletableFuture<Void> async = CompletableFuture.runAsync(() -> {
            throw inside;
        });
        assertThatThrownBy(() -> Workers.awaitAll(List.of(async))).isSameAs(inside);
    }
}
