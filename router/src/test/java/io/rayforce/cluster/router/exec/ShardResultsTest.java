package io.rayforce.cluster.router.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.value.I64Atom;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A fan-out's answers: exactly one per unit, kept in unit order. */
class ShardResultsTest {
    private static final UnitId U0 = new UnitId("t", 0, 5);
    private static final UnitId U1 = new UnitId("t", 1, 5);
    private static final UnitId U2 = new UnitId("t", 2, 5);

    @Test
    void answersComeInUnitOrderWhateverTheirArrivalOrder() {
        ShardResults r = new ShardResults(List.of(U0, U1, U2));
        assertThat(r.accept(U2, I64Atom.of(2))).isTrue();
        assertThat(r.accept(U0, I64Atom.of(0))).isTrue();
        assertThat(r.accept(U1, I64Atom.of(1))).isTrue();
        assertThat(r.values()).containsExactly(I64Atom.of(0), I64Atom.of(1), I64Atom.of(2));
        assertThat(r.get(U1)).isEqualTo(I64Atom.of(1));
        assertThat(r.units()).containsExactly(U0, U1, U2);
    }

    @Test
    void aSecondAnswerForAUnitIsIgnoredAndCounted() {
        ShardResults r = new ShardResults(List.of(U0, U1));
        r.accept(U0, I64Atom.of(1));
        assertThat(r.accept(U0, I64Atom.of(99))).isFalse();
        assertThat(r.accept(U0, I64Atom.of(1))).isFalse();
        assertThat(r.get(U0)).isEqualTo(I64Atom.of(1));
        assertThat(r.duplicatesIgnored()).isEqualTo(2);
        assertThat(r.values()).containsExactly(I64Atom.of(1));
    }

    @Test
    void unitsWithoutAnAnswerAreLeftOut() {
        ShardResults r = new ShardResults(List.of(U0, U1, U2));
        r.accept(U1, I64Atom.of(1));
        assertThat(r.values()).containsExactly(I64Atom.of(1));
        assertThat(r.get(U0)).isNull();
        assertThat(new ShardResults(List.of()).values()).isEmpty();
    }

    @Test
    void aUnitOfAnotherFanOutOrEpochIsRefused() {
        ShardResults r = new ShardResults(List.of(U0));
        assertThatThrownBy(() -> r.accept(new UnitId("t", 0, 6), I64Atom.of(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("t/0@6 is not part of this fan-out");
        assertThatThrownBy(() -> r.accept(new UnitId("u", 0, 5), I64Atom.of(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void racingAnswersForTheSameUnitsCountOnce() throws Exception {
        List<UnitId> units = List.of(U0, U1, U2);
        ShardResults r = new ShardResults(units);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger accepted = new AtomicInteger();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            pool.execute(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (UnitId u : units) {
                    if (r.accept(u, I64Atom.of(thread))) {
                        accepted.incrementAndGet();
                    }
                }
            });
        }
        go.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(accepted.get()).isEqualTo(3);
        assertThat(r.duplicatesIgnored()).isEqualTo(21);
        assertThat(r.values()).hasSize(3);
    }
}
