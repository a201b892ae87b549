package io.rayforce.cluster.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DdlLocksTest {
    private final DdlLocks locks = new DdlLocks();

    @Test
    void oneNameIsHeldByOneThreadAtATime() throws Exception {
        CompletableFuture<Void> other;
        try (DdlLocks.Held held = locks.lock("trades")) {
            CountDownLatch started = new CountDownLatch(1);
            other = CompletableFuture.runAsync(() -> {
                started.countDown();
                locks.lock("trades").close();
            });
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(100);
            assertThat(other).as("waits for the holder").isNotDone();
        }
        other.get(5, TimeUnit.SECONDS);
    }

    @Test
    void otherNamesDoNotWait() throws Exception {
        try (DdlLocks.Held held = locks.lock("trades")) {
            CompletableFuture.runAsync(() -> locks.lock("quotes").close()).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theHolderMayTakeItAgain() {
        try (DdlLocks.Held outer = locks.lock("trades"); DdlLocks.Held inner = locks.lock("trades")) {
            assertThat(locks.size()).isEqualTo(1);
        }
    }

    @Test
    void aNameIsForgottenWhenNobodyHoldsOrWaitsAndClosingTwiceReleasesOnce() {
        DdlLocks.Held a = locks.lock("a");
        DdlLocks.Held b = locks.lock("b");
        assertThat(locks.size()).isEqualTo(2);
        a.close();
        a.close();
        assertThat(locks.size()).isEqualTo(1);
        b.close();
        assertThat(locks.size()).isZero();
    }
}
