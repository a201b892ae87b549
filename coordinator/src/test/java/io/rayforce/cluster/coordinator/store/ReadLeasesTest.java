package io.rayforce.cluster.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.testing.CuttableProxy;
import io.rayforce.cluster.coordinator.testing.TestZooKeeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;

/**
 * Read leases on a real ZooKeeper, against the writers of {@link TableLocks} in another session:
 * a process's reads share one lock node; a writer waits only for the reads in progress and gets
 * the table while later reads wait behind it; a table found not admissible is refused; waits are
 * bounded and name the table; closing lets every lease go; a lease outlives a connection cut off
 * from ZooKeeper, and a writer that came meanwhile ends it once ZooKeeper answers again.
 */
class ReadLeasesTest {

    private static List<String> lockNodes(ClusterConnection c, String table) throws Exception {
        return c.curator().getChildren().forPath(ZkPaths.tableLock(table));
    }

    /** Whether a read of {@code table} is granted within {@code ms}; a granted one is let go at once. */
    private static boolean grantedWithin(ReadLeases leases, String table, long ms) throws Exception {
        try {
            leases.readAll(List.of(table), Duration.ofMillis(ms)).close();
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    @Test
    void readsShareOneLockNodeAndAWriterWaitsOnlyForTheReadsInProgress() throws Exception {
        String cluster = TestZooKeeper.freshCluster();
        ExecutorService writerThread = Executors.newSingleThreadExecutor();
        try (ClusterConnection a = TestZooKeeper.connect(cluster); ClusterConnection b = TestZooKeeper.connect(cluster);
                ReadLeases leases = new ReadLeases(a.curator(), t -> true)) {
            TableLock first = leases.readAll(List.of("trades"), Duration.ofSeconds(5));
            for (int i = 0; i < 50; i++) {
                leases.readAll(List.of("trades", "quotes"), Duration.ofSeconds(5)).close();
            }
            TableLock second = leases.readAll(List.of("trades"), Duration.ofSeconds(5));
            assertThat(leases.readsHolding("trades")).isEqualTo(2);
            assertThat(lockNodes(a, "trades")).as("one lock node for all of this process's reads").hasSize(1);

            TableLocks writers = new TableLocks(b.curator());
            Future<TableLock> writer = writerThread.submit(() -> writers.write("trades", Duration.ofSeconds(20)));
            // the lease sees the writer and grants no more reads
            await().atMost(Duration.ofSeconds(10)).until(() -> !grantedWithin(leases, "trades", 100));
            assertThatThrownBy(() -> leases.readAll(List.of("trades"), Duration.ofMillis(100)))
                    .isInstanceOf(TimeoutException.class).hasMessageContaining("read lock of table trades");
            assertThat(writer).as("the writer waits for the reads in progress").isNotDone();
            first.close();
            first.close();
            Thread.sleep(200);
            assertThat(writer).isNotDone();
            second.close();
            TableLock write = writer.get(10, TimeUnit.SECONDS);

            // a read that comes while the writer holds the table waits for it, then gets a new lease
            AtomicBoolean writerDone = new AtomicBoolean();
            Future<Boolean> reader = Executors.newSingleThreadExecutor().submit(() -> {
                try (TableLock r = leases.readAll(List.of("trades"), Duration.ofSeconds(20))) {
                    return writerDone.get();
                }
            });
            Thread.sleep(300);
            assertThat(reader).isNotDone();
            writerDone.set(true);
            writerThread.submit(write::close).get(10, TimeUnit.SECONDS);
            assertThat(reader.get(10, TimeUnit.SECONDS)).as("the read ran after the write").isTrue();

            // quotes was never written: its lease is still held, and a write of it waits for nothing but the revoke
            assertThat(writerThread.submit(() -> {
                try (TableLock q = writers.write("quotes", Duration.ofSeconds(5))) {
                    return q != null;
                }
            }).get(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            writerThread.shutdownNow();
        }
    }

    /** The read version of {@code table} a read is granted within 2 s (the read is let go at once). */
    private static long version(ReadLeases leases, String table) throws Exception {
        try (TableLock r = leases.readAll(List.of(table), Duration.ofSeconds(2))) {
            return r.versions().get(table);
        }
    }

    /** Whether a writer's node is among {@code table}'s lock nodes. */
    private static boolean writerWaits(ClusterConnection c, String table) throws Exception {
        return lockNodes(c, table).stream().anyMatch(n -> n.contains("__WRIT__"));
    }

    /**
     * A client whose requests give up at the first lost connection (Curator retries once), so
     * that what carries a lease across an outage is the lease's own watch, not Curator's retries.
     */
    private static CuratorFramework failFastClient(String connectString, String cluster) throws InterruptedException {
        CuratorFramework c = CuratorFrameworkFactory.builder().connectString(connectString).namespace(ZkPaths.namespace(cluster))
                .sessionTimeoutMs(15_000).connectionTimeoutMs(1_000).retryPolicy(new RetryOneTime(100)).build();
        c.start();
        assertThat(c.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
        return c;
    }

    /**
     * A process cut off from ZooKeeper (a partition: the others still reach it) goes on reading
     * under its lease, since its lock node lives as long as its session and a writer waits for
     * it. A writer that comes meanwhile is seen once ZooKeeper answers again, whether the watch
     * was set when the connection went (ZooKeeper fires it on reconnecting) or was being set then
     * (its request lost with the connection: the lease tries again until ZooKeeper answers); the
     * writer then waits only for the read in progress, and the next lease is a new
     * read version.
     */
    @Test
    void aLeaseOutlivesACutConnectionAndAWriterThatCameMeanwhileEndsIt() throws Exception {
        String cluster = TestZooKeeper.freshCluster();
        ExecutorService w = Executors.newSingleThreadExecutor();
        try (CuttableProxy proxy = new CuttableProxy("127.0.0.1", TestZooKeeper.server().port());
                ClusterConnection b = TestZooKeeper.connect(cluster);
                CuratorFramework a = failFastClient(proxy.connectString(), cluster);
                ReadLeases leases = new ReadLeases(a, t -> true);
                ReadLeases others = new ReadLeases(b.curator(), t -> true)) {
            TableLocks writers = new TableLocks(b.curator());

            // the watch set when the connection goes
            long v1 = version(leases, "t");
            TableLock running = leases.readAll(List.of("t"), Duration.ofSeconds(5));
            proxy.cut();
            await().atMost(Duration.ofSeconds(10)).until(() -> !a.getZookeeperClient().isConnected());
            Thread.sleep(1_500); // past the client's connection timeout: its requests fail at once
            assertThat(version(leases, "t")).as("reads go on under the lease while cut off").isEqualTo(v1);
            Future<TableLock> writer = w.submit(() -> writers.write("t", Duration.ofSeconds(30)));
            await().atMost(Duration.ofSeconds(10)).until(() -> writerWaits(b, "t"));
            assertThat(version(leases, "t")).as("the writer waits for the lease it cannot see").isEqualTo(v1);
            proxy.restore();
            await().atMost(Duration.ofSeconds(15)).until(() -> !grantedWithin(leases, "t", 100));
            assertThat(writer).as("the writer waits for the read in progress").isNotDone();
            running.close();
            w.submit(writer.get(10, TimeUnit.SECONDS)::close).get(10, TimeUnit.SECONDS);
            long v2 = version(leases, "t");
            assertThat(v2).as("a write came between: another lease").isGreaterThan(v1);

            // the watch being set when the connection goes: asking for the children (to set it for the new
            // lease, or again after another reader's lock node fired it) is held, then lost with the connection
            running = leases.readAll(List.of("t"), Duration.ofSeconds(5));
            proxy.holdRequests();
            others.readAll(List.of("t"), Duration.ofSeconds(5)).close();
            Thread.sleep(500);
            proxy.cut();
            Thread.sleep(2_000);
            assertThat(version(leases, "t")).as("reads go on under the lease while it is watched again").isEqualTo(v2);
            writer = w.submit(() -> writers.write("t", Duration.ofSeconds(30)));
            await().atMost(Duration.ofSeconds(10)).until(() -> writerWaits(b, "t"));
            proxy.restore();
            await().atMost(Duration.ofSeconds(15)).until(() -> !grantedWithin(leases, "t", 100));
            assertThat(writer).as("the writer waits for the read in progress").isNotDone();
            running.close();
            w.submit(writer.get(10, TimeUnit.SECONDS)::close).get(10, TimeUnit.SECONDS);
            assertThat(version(leases, "t")).as("a write came between: another lease").isGreaterThan(v2);
        } finally {
            w.shutdownNow();
        }
    }

    @Test
    void readsUnderOneLeaseSeeOneVersionAndAWriterEndsIt() throws Exception {
        String cluster = TestZooKeeper.freshCluster();
        ExecutorService writerThread = Executors.newSingleThreadExecutor();
        try (ClusterConnection a = TestZooKeeper.connect(cluster); ClusterConnection b = TestZooKeeper.connect(cluster);
                ReadLeases leases = new ReadLeases(a.curator(), t -> true)) {
            long v1;
            try (TableLock r = leases.readAll(List.of("t", "u"), Duration.ofSeconds(5))) {
                assertThat(r.versions()).containsOnlyKeys("t", "u");
                v1 = r.versions().get("t");
            }
            try (TableLock r = leases.readAll(List.of("t"), Duration.ofSeconds(5))) {
                assertThat(r.versions()).containsEntry("t", v1);
            }
            TableLocks writers = new TableLocks(b.curator());
            writerThread.submit(() -> {
                writers.write("t", Duration.ofSeconds(20)).close();
                return null;
            }).get(20, TimeUnit.SECONDS);
            try (TableLock r = leases.readAll(List.of("t", "u"), Duration.ofSeconds(5))) {
                assertThat(r.versions().get("t")).as("a write came between: another lease").isGreaterThan(v1);
            }
        } finally {
            writerThread.shutdownNow();
        }
    }

    @Test
    void aTableNotAdmissibleIsRefusedAndItsLeaseLetGo() throws Exception {
        String cluster = TestZooKeeper.freshCluster();
        AtomicBoolean broken = new AtomicBoolean(true);
        try (ClusterConnection a = TestZooKeeper.connect(cluster); ClusterConnection b = TestZooKeeper.connect(cluster);
                ReadLeases leases = new ReadLeases(a.curator(), t -> !(t.equals("t") && broken.get()))) {
            TableLock other = leases.readAll(List.of("a"), Duration.ofSeconds(5));
            other.close();
            assertThatThrownBy(() -> leases.readAll(List.of("a", "t"), Duration.ofSeconds(5)))
                    .isInstanceOfSatisfying(ReadLeases.NotAdmissibleException.class, e -> assertThat(e.table()).isEqualTo("t"));
            assertThat(leases.readsHolding("a")).as("the lease of a taken before is given back").isZero();
            // the lease of t was let go: a writer (the repair) gets the table at once
            ExecutorService w = Executors.newSingleThreadExecutor();
            try {
                assertThat(w.submit(() -> {
                    try (TableLock lock = new TableLocks(b.curator()).write("t", Duration.ofSeconds(5))) {
                        broken.set(false);
                        return true;
                    }
                }).get(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                w.shutdownNow();
            }
            try (TableLock r = leases.readAll(List.of("t"), Duration.ofSeconds(5))) {
                assertThat(leases.readsHolding("t")).isEqualTo(1);
            }
        }
    }

    @Test
    void aWriteInProgressBoundsTheWaitAndClosingLetsEveryLeaseGo() throws Exception {
        String cluster = TestZooKeeper.freshCluster();
        ExecutorService w = Executors.newSingleThreadExecutor();
        try (ClusterConnection a = TestZooKeeper.connect(cluster); ClusterConnection b = TestZooKeeper.connect(cluster)) {
            TableLocks writers = new TableLocks(b.curator());
            TableLock write = w.submit(() -> writers.write("t", Duration.ofSeconds(5))).get(10, TimeUnit.SECONDS);
            ReadLeases leases = new ReadLeases(a.curator(), t -> true);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> leases.readAll(List.of("t"), Duration.ofMillis(300)))
                    .isInstanceOf(TimeoutException.class).hasMessageContaining("read lock of table t within 300 ms");
            assertThat((System.nanoTime() - t0) / 1_000_000).as("ms waited").isLessThan(5_000);
            w.submit(write::close).get(10, TimeUnit.SECONDS);
            leases.readAll(List.of("t"), Duration.ofSeconds(5)).close();
            assertThat(lockNodes(a, "t")).hasSize(1);
            leases.close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lockNodes(a, "t")).isEmpty());
            assertThatThrownBy(() -> leases.readAll(List.of("t"), Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
        } finally {
            w.shutdownNow();
        }
    }
}
