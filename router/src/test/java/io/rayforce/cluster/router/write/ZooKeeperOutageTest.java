package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.store.SessionLiveness;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import io.rayforce.cluster.router.testing.SameAnswer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A router whose ZooKeeper goes away (the server stopped, as when an ensemble elects a leader or
 * is briefly unreachable), on the real parts: reads of tables whose read leases it holds are
 * answered at once while its session is proven alive, and later ones wait until ZooKeeper
 * confirms the session (or a new one) instead of failing; a write waits for ZooKeeper up to its
 * timeout and then fails saying nothing was written; every answer equals the oracle's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZooKeeperOutageTest {
    /** The routers' sessions: one longer than the outages, one shorter (the nodes' sessions are 4 s, longer than both outages). */
    private static final Duration LONG_SESSION = Duration.ofSeconds(8);
    private static final Duration SHORT_SESSION = Duration.ofSeconds(2);
    private static final String READ = "(select {n: (count id) s: (sum v) from: t})";
    private static final String ROWS = "(select {from: t where: (< id 20)})";

    WriteCluster c;
    ZooKeeperPlacement placement;
    ClusterClient router;
    ZooKeeperPlacement shortPlacement;
    ClusterClient shortRouter;
    final ExecutorService background = Executors.newCachedThreadPool();

    @BeforeAll
    void start() {
        c = new WriteCluster(2, 500);
        String rows = "(table [id v] (list (til 100) (* 2 (til 100))))";
        c.client.execute("(.cluster.create 't " + rows + " 'id 4 2)");
        c.oracle.execute("(count (set t " + rows + "))");
        placement = ZooKeeperPlacement.connect(c.zk.connectString(), c.cluster, LONG_SESSION);
        router = new ClusterClient(placement);
        shortPlacement = ZooKeeperPlacement.connect(c.zk.connectString(), c.cluster, SHORT_SESSION);
        shortRouter = new ClusterClient(shortPlacement);
        await().atMost(Duration.ofSeconds(30)).until(() -> placement.snapshot().table("t").isPresent()
                && shortPlacement.snapshot().table("t").isPresent());
    }

    @AfterAll
    void stop() {
        background.shutdownNow();
        router.close();
        placement.close();
        shortRouter.close();
        shortPlacement.close();
        c.close();
    }

    private CuratorFramework curator() {
        return placement.connection().curator();
    }

    private void assertReadsRight(ClusterClient r, String label) {
        SameAnswer.assertSame(label, c.oracle.execute(READ), r.execute(READ));
        SameAnswer.assertSame(label, c.oracle.execute(ROWS), r.execute(ROWS));
    }

    @Test
    void readsRideOutAZooKeeperOutageAndWritesWaitThenFailClearly() throws Exception {
        assertReadsRight(router, "before the outage"); // the lease of t is taken
        SessionLiveness liveness = placement.connection().liveness();
        long session = liveness.sessionId();
        assertThat(session).isNotZero();

        c.zk.stop();
        try {
            readsAndAWriteWhileZooKeeperIsAway(liveness, session);
        } finally {
            c.zk.restart();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> curator().getZookeeperClient().isConnected());
        assertThat(liveness.sessionId()).as("the session outlived the outage").isEqualTo(session);

        // writes work again
        String insert = "(insert 't (list 1000 1))";
        router.execute(insert);
        c.oracle.execute(insert);
        assertReadsRight(router, "after the outage");
    }

    private void readsAndAWriteWhileZooKeeperIsAway(SessionLiveness liveness, long session) throws Exception {
        long stopped = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> !curator().getZookeeperClient().isConnected());
        // a write needs ZooKeeper: it waits up to its timeout, then fails saying why and that nothing was written
        Future<Throwable> write = background.submit(() -> {
            long w0 = System.nanoTime();
            try {
                router.query("(insert 't (list 1000 1))", QueryOptions.DEFAULT.withTimeout(Duration.ofSeconds(1)));
                return null;
            } catch (RuntimeException e) {
                assertThat((System.nanoTime() - w0) / 1_000_000).as("ms the write waited").isBetween(900L, 10_000L);
                return e;
            }
        });
        // the session is proven alive for 2/3 of its timeout after its last heartbeat: reads are answered at once
        int served = 0;
        while (liveness.provenAlive(session) && System.nanoTime() - stopped < 1_500_000_000L) {
            long t0 = System.nanoTime();
            assertReadsRight(router, "while ZooKeeper is away (suspended)");
            served++;
            assertThat((System.nanoTime() - t0) / 1_000_000).as("ms for a read from the held lease").isLessThan(1_000);
        }
        System.out.printf("ZooKeeper outage: %d pairs of reads answered from the held lease in the first %d ms%n", served,
                (System.nanoTime() - stopped) / 1_000_000);
        assertThat(served).as("reads answered while the connection was suspended").isPositive();
        assertThat(write.get(20, TimeUnit.SECONDS)).isInstanceOf(WriteFailedError.class)
                .hasMessageContaining("ZooKeeper could not be reached within the write's timeout of 1000 ms")
                .hasMessageContaining("nothing was written");
    }

    @Test
    void aReadPastTheProofWaitsAndIsAnsweredInANewSessionWhenTheOldOneIsLost() throws Exception {
        assertReadsRight(shortRouter, "before the outage");
        SessionLiveness liveness = shortPlacement.connection().liveness();
        long session = liveness.sessionId();
        c.zk.stop();
        long stopped = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> !liveness.provenAlive(session));
        Future<RayValue> waiting = background.submit(() -> shortRouter.execute(READ));
        try {
            // past the proof the read cannot know that no write overlapped it: it waits for ZooKeeper
            Thread.sleep(Math.max(300, 2_300 - (System.nanoTime() - stopped) / 1_000_000));
            assertThat(waiting).as("a read past the proof waits for ZooKeeper").isNotDone();
        } finally {
            // by now Curator gave the 2 s session up; the read runs again in a new one
            c.zk.restart();
        }
        SameAnswer.assertSame("a read across a lost session", c.oracle.execute(READ), waiting.get(40, TimeUnit.SECONDS));
        assertThat(liveness.sessionId()).as("answered in a new session").isNotEqualTo(session).isNotZero();
        assertReadsRight(shortRouter, "after the outage");
        String insert = "(insert 't (list 1001 3))";
        shortRouter.execute(insert);
        c.oracle.execute(insert);
        assertReadsRight(shortRouter, "after a write in the new session");
        assertReadsRight(router, "the other router sees it");
    }
}
