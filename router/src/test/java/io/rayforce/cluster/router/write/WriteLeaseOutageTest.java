package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.coordinator.store.SessionLiveness;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import io.rayforce.cluster.router.testing.SameAnswer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A write lease held when its router's ZooKeeper goes away, on the real parts (its own cluster:
 * the outage must not meet another test's leases): its inserts go on while the session holding
 * the lease's write lock is proven alive, then wait up to their timeout and fail saying nothing
 * was written; after ZooKeeper returns the same lease writes again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriteLeaseOutageTest {
    WriteCluster c;
    ClusterClient router;
    final ExecutorService background = Executors.newCachedThreadPool();

    @BeforeAll
    void start() {
        c = new WriteCluster(2, 500);
        router = c.client;
    }

    @AfterAll
    void stop() {
        background.shutdownNow();
        c.close();
    }

    /**
     * A write lease held when ZooKeeper goes away: its inserts go on while the session that holds
     * its write lock is proven alive (the write fence's rule), and once the proof has run out they
     * wait up to their timeout and fail saying nothing was written. When ZooKeeper returns within
     * the session, the same lease writes again; the table holds every acknowledged insert once
     * and none of the failed ones. The one insert in flight as the proof runs out may reach one
     * replica of its shard and not the other: it then answers that it is not known whether it was
     * written, and the next read finishes or undoes it on every replica alike.
     */
    @Test
    void aHeldWriteLeaseWritesOnlyWhileItsSessionIsProvenAlive() throws Exception {
        try (ZooKeeperPlacement p = ZooKeeperPlacement.connect(c.zk.connectString(), c.cluster, Duration.ofSeconds(10));
                ClusterClient leaseRouter = new ClusterClient(p)) {
            String empty = "(table [id v] (list (as 'I64 []) (as 'I64 [])))";
            c.client.execute("(.cluster.create 'w " + empty + " 'id 4 2)");
            c.oracle.execute("(count (set w " + empty + "))");
            await().atMost(Duration.ofSeconds(30)).until(() -> p.snapshot().table("w").isPresent());
            SessionLiveness liveness = p.connection().liveness();
            AtomicBoolean stop = new AtomicBoolean();
            List<long[]> acked = Collections.synchronizedList(new ArrayList<>()); // {id, started, ended}
            List<String> unprovenFailures = Collections.synchronizedList(new ArrayList<>());
            List<String> otherFailures = Collections.synchronizedList(new ArrayList<>());
            List<Long> uncertain = Collections.synchronizedList(new ArrayList<>());
            AtomicLong unprovenSince = new AtomicLong(Long.MAX_VALUE);
            // inserts back to back (the lease stays held), each with a 1 s timeout
            Future<?> writer = background.submit(() -> {
                for (long id = 5000; !stop.get(); id++) {
                    long t0 = System.nanoTime();
                    try {
                        leaseRouter.query("(insert 'w (list " + id + " 5))", QueryOptions.DEFAULT.withTimeout(Duration.ofSeconds(1)));
                        acked.add(new long[] {id, t0, System.nanoTime()});
                    } catch (RuntimeException e) {
                        if (t0 <= unprovenSince.get() && String.valueOf(e.getMessage()).contains("it is not known whether")) {
                            uncertain.add(id);
                        } else {
                            (t0 > unprovenSince.get() ? unprovenFailures : otherFailures).add(id + ": " + e.getMessage());
                        }
                    }
                }
            });
            try {
                underOutage(p, leaseRouter, liveness, acked, unprovenFailures, unprovenSince);
            } finally {
                stop.set(true);
            }
            writer.get(30, TimeUnit.SECONDS);
            // an insert that started as the proof ran out may have waited for it too, or (one writer:
            // at most one) have reached one replica and not the other
            assertThat(otherFailures).as("inserts that started before the proof ran out and failed")
                    .allSatisfy(m -> assertThat(m).contains("nothing was written"));
            assertThat(uncertain).as("inserts in flight as the proof ran out, left to recovery").hasSizeLessThanOrEqualTo(1);
            List<Long> written = new ArrayList<>();
            synchronized (acked) {
                acked.forEach(a -> written.add(a[0]));
            }
            for (long id : uncertain) {
                String present = "(count (select {from: w where: (== id " + id + ")}))";
                long onLease = ((I64Atom) leaseRouter.execute(present)).value();
                assertThat(onLease).as("insert %d after recovery, all or nothing", id).isBetween(0L, 1L);
                assertThat(((I64Atom) router.execute(present)).value())
                        .as("insert %d on another router", id).isEqualTo(onLease);
                if (onLease == 1) {
                    written.add(id);
                }
            }
            // one writer, ids in the order it sent them: the table's row order
            written.stream().sorted().forEach(id -> c.oracle.execute("(insert 'w (list " + id + " 5))"));
            SameAnswer.assertSame("w after the outage, on the lease's router", c.oracle.execute("w"), leaseRouter.execute("w"));
            SameAnswer.assertSame("w after the outage, on another router", c.oracle.execute("w"), router.execute("w"));
        }
    }

    private void underOutage(ZooKeeperPlacement p, ClusterClient leaseRouter, SessionLiveness liveness, List<long[]> acked,
            List<String> unprovenFailures, AtomicLong unprovenSince) throws Exception {
        {
            await().atMost(Duration.ofSeconds(20)).until(() -> acked.size() >= 5);
            long session = liveness.sessionId();
            c.zk.stop();
            long stopped = System.nanoTime();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> !p.connection().curator().getZookeeperClient().isConnected());
                long disconnected = System.nanoTime();
                await().atMost(Duration.ofSeconds(20)).until(() -> !liveness.provenAlive(session));
                unprovenSince.set(System.nanoTime());
                long duringProof = acked.stream().filter(a -> a[1] > disconnected).count();
                System.out.printf("ZooKeeper outage under a write lease: %d inserts acknowledged in the %d ms the session was "
                        + "proven alive without ZooKeeper%n", duringProof, (unprovenSince.get() - stopped) / 1_000_000);
                assertThat(duringProof).as("inserts under the held lease while ZooKeeper was away (session proven alive)")
                        .isPositive();
                // an insert sent now waits up to its timeout, then fails saying why and that nothing was written
                long p0 = System.nanoTime();
                Future<Throwable> probe = background.submit(() -> {
                    try {
                        leaseRouter.query("(insert 'w (list 999999 5))", QueryOptions.DEFAULT.withTimeout(Duration.ofSeconds(1)));
                        return null;
                    } catch (RuntimeException e) {
                        return e;
                    }
                });
                assertThat(probe.get(10, TimeUnit.SECONDS)).as("an insert past the proof").isInstanceOf(WriteFailedError.class)
                        .hasMessageContaining("ZooKeeper could not be reached").hasMessageContaining("nothing was written");
                assertThat((System.nanoTime() - p0) / 1_000_000).as("ms it waited").isBetween(900L, 4_000L);
                assertThat(acked.stream().filter(a -> a[1] > unprovenSince.get())).as("inserts acknowledged past the proof")
                        .isEmpty();
                assertThat(unprovenFailures).as("inserts past the proof").allSatisfy(m -> assertThat(m)
                        .contains("nothing was written"));
            } finally {
                c.zk.restart();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> p.connection().curator().getZookeeperClient().isConnected());
            assertThat(liveness.sessionId()).as("the session outlived the outage").isEqualTo(session);
            int before = acked.size();
            await().atMost(Duration.ofSeconds(20)).until(() -> acked.size() >= before + 5);
        }
    }
}
