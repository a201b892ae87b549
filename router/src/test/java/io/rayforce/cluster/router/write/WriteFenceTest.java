package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.store.TableLock;
import io.rayforce.cluster.coordinator.testing.TestZooKeeper;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import io.rayforce.cluster.router.exec.NodeConnections;
import io.rayforce.cluster.router.services.ClusterServices;
import io.rayforce.cluster.router.services.CoordinatorClient;
import io.rayforce.cluster.router.services.CoordinatorDirectory;
import io.rayforce.cluster.router.testing.SameAnswer;
import io.rayforce.cluster.router.testing.Signals;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/**
 * The crash window a short router session opens, closed by the write fence, on the real parts: a
 * writer whose ZooKeeper session ended while it lived (a long pause, a partition) has lost its
 * table's write lock, and another router may be recovering its write; it must send nothing more.
 * A write request is sent only while the session that took the table's write lock is proven
 * alive; without the lock, or once that session ended, the request is not sent and its replica
 * fails saying why.
 */
class WriteFenceTest {

    @Test
    void aWriterWhoseSessionEndedSendsNothingMore() throws Exception {
        try (WriteCluster c = new WriteCluster(2, 500)) {
            String rows = "(table [id v] (list (til 10) (til 10)))";
            c.client.execute("(.cluster.create 'f " + rows + " 'id 1 2)");
            c.oracle.execute("(count (set f " + rows + "))");
            try (ZooKeeperPlacement p = ZooKeeperPlacement.connect(c.zk.connectString(), c.cluster, Duration.ofSeconds(2));
                    NodeConnections connections = new NodeConnections(ClientOptions.DEFAULT, 2)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> p.snapshot().table("f").isPresent());
                CuratorFramework curator = p.connection().curator();
                ClusterServices services = new ClusterServices(curator, p.connection().liveness(),
                        new CoordinatorClient(new CoordinatorDirectory(curator, p), Duration.ofSeconds(30)));
                ReplicaWrites writes = new ReplicaWrites(connections, t -> services.writeFence().beforeSend(t));
                ClusterSnapshot snapshot = p.snapshot();
                RayValue count = RayfallReader.read("(count f__0)");
                RayValue insert = RayfallReader.read("(count (insert 'f__0 (table [id v __seq] (list [77] [7] [900]))))");

                ShardOutcome unlocked = writes.write(snapshot, "f", 0, List.of(count), 5_000).get(10, TimeUnit.SECONDS);
                assertThat(unlocked.anyApplied()).as("sent without the table's write lock").isFalse();
                assertThat(unlocked.replicas()).allSatisfy(r -> assertThat(r.failure()).contains("holds no write lock of table f"));

                TableLock lock = services.lockTable("f", Duration.ofSeconds(10), "test");
                ShardOutcome locked = writes.write(snapshot, "f", 0, List.of(count), 5_000).get(10, TimeUnit.SECONDS);
                assertThat(locked.applied()).as("sent under the lock").hasSize(2);

                // the session ends while the writer lives on (as after a pause); the proof it had runs out
                long session = p.connection().liveness().sessionId();
                TestZooKeeper.expireSession(curator, c.zk.connectString()); // as its expiry would: its locks go
                await().atMost(Duration.ofSeconds(10)).until(() -> !p.connection().liveness().provenAlive(session));
                ShardOutcome fenced = writes.write(snapshot, "f", 0, List.of(insert), 5_000).get(20, TimeUnit.SECONDS);
                assertThat(fenced.anyApplied()).as("sent after the session that held the lock ended").isFalse();
                assertThat(fenced.replicas()).allSatisfy(r -> {
                    assertThat(r.failure()).contains("not sent").contains("write lock of table f ended");
                    assertThat(r.uncertain()).as("nothing of it was sent").isFalse();
                });
                lock.close();
                SameAnswer.assertSame("f: the fenced insert never reached an engine", c.oracle.execute("f"),
                        c.client.execute("f"));
                services.close();
            }
        }
    }

    /**
     * The write fence under a write lease: a lease whose group was appended (one replica's request
     * held up by a frozen engine) when its router's session ended sends nothing more, its commit
     * included; the insert fails saying nothing was written, another router's read recovers the
     * lease (the pending rows go), and the router writes again under a new lease.
     */
    @Test
    void aWriteLeaseWhoseSessionEndedSendsNothingMore() throws Exception {
        try (WriteCluster c = new WriteCluster(2, 500); Signals signals = new Signals()) {
            String rows = "(table [id v] (list (til 10) (til 10)))";
            c.client.execute("(.cluster.create 'g " + rows + " 'id 2 2)");
            c.oracle.execute("(count (set g " + rows + "))");
            try (ZooKeeperPlacement p = ZooKeeperPlacement.connect(c.zk.connectString(), c.cluster, Duration.ofSeconds(2));
                    ClusterClient router = new ClusterClient(p)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> p.snapshot().table("g").isPresent());
                String first = "(insert 'g (list (+ 100 (til 20)) (til 20)))";
                router.execute(first); // the lease is taken; both replicas of both shards have its record
                c.oracle.execute(first);
                long n1 = c.agents.get(1).engine().status().pid();
                signals.stop(n1);
                Future<Throwable> insert;
                ExecutorService background = Executors.newSingleThreadExecutor();
                try {
                    // a group of two shards (20 rows), so written in two steps: appended to the pending tables, then committed
                    insert = background.submit(() -> {
                        try {
                            router.query("(insert 'g (list (+ 200 (til 20)) (til 20)))",
                                    QueryOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)));
                            return null;
                        } catch (RuntimeException e) {
                            return e;
                        }
                    });
                    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() -> pending(c, 0) > 0);
                    long session = p.connection().liveness().sessionId();
                    TestZooKeeper.expireSession(p.connection().curator(), c.zk.connectString());
                    // (the engine's agent restarts an engine frozen for 5 s: this takes about 2)
                    await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(10))
                            .until(() -> !p.connection().liveness().provenAlive(session));
                } finally {
                    signals.cont(n1);
                }
                Throwable failed = insert.get(60, TimeUnit.SECONDS);
                background.shutdownNow();
                assertThat(failed).as("the insert whose commit the fence stopped").isInstanceOf(WriteFailedError.class)
                        .hasMessageContaining("not sent").hasMessageContaining("write lock of table g ended")
                        .hasMessageContaining("nothing was written");
                assertThat(rowsOf(c, 0, 200) + rowsOf(c, 1, 200)).as("rows of it committed on a replica").isZero();
                // another router's read recovers the lease: the pending rows go, the table is as without the insert
                SameAnswer.assertSame("g after the fenced insert", c.oracle.execute("g"), c.client.execute("g"));
                assertThat(pending(c, 0) + pending(c, 1)).as("pending rows left after recovery").isZero();
                // the router writes again, under a new lease in its new session
                String again = "(insert 'g (list [300 301] [3 3]))";
                router.execute(again);
                c.oracle.execute(again);
                SameAnswer.assertSame("g after a new lease", c.oracle.execute("g"), router.execute("g"));
                SameAnswer.assertSame("g after a new lease", c.oracle.execute("g"), c.client.execute("g"));
            }
        }
    }

    /** Rows in the pending tables of node {@code n}. */
    private static long pending(WriteCluster c, int n) {
        return count(c, n, "p", 0);
    }

    /** Rows with {@code id >= from} in the shards of node {@code n}. */
    private static long rowsOf(WriteCluster c, int n, long from) {
        return count(c, n, "", from);
    }

    private static long count(WriteCluster c, int n, String suffix, long from) {
        try (TCPClient engine = new TCPClient("127.0.0.1", c.agents.get(n).ipcPort(), ClientOptions.DEFAULT)) {
            long total = 0;
            for (int s = 0; s < 2; s++) {
                String g = "g__" + s + (suffix.isEmpty() ? "" : "__" + suffix);
                RayValue v = engine.execute("(if (== (type (resolve '" + g + ")) 'TABLE) (count (select {from: " + g
                        + " where: (>= id " + from + ")})) 0)");
                total += ((I64Atom) v).value();
            }
            return total;
        }
    }
}
