package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ShardFunction;
import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ShardReplicas;
import io.rayforce.cluster.coordinator.proto.WriteIntent;
import io.rayforce.cluster.coordinator.proto.WriteKind;
import io.rayforce.cluster.coordinator.proto.WritePhase;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.ProtoJson;
import io.rayforce.cluster.coordinator.store.TableLock;
import io.rayforce.cluster.coordinator.store.TableLocks;
import io.rayforce.cluster.coordinator.store.WriteIntents;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import io.rayforce.cluster.router.testing.SameAnswer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.TestInstance;

/**
 * Atomic visibility (docs/architecture.md): readers running while multi-shard inserts, deletes,
 * updates and upserts go on never see part of a write. Table {@code b} gets batches of one row per
 * shard (inserted together, deleted together); table {@code c} has two rows per shard whose
 * {@code ctr} every write sets to one new value (an update adding 1, an upsert of all keys). Every
 * read must show whole batches and one {@code ctr} value, never going back; in the end both tables
 * equal one server that got the same statements.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AtomicVisibilityTest {
    private static final int SHARDS = 4;
    private static final int BATCHES = 60;
    private static final int COUNTER_WRITES = 60;

    WriteCluster c;

    @BeforeAll
    void start() {
        c = new WriteCluster(3);
    }

    @AfterAll
    void stop() {
        c.close();
    }

    /** The {@code n}-th key (n from 0) that the shard function puts on {@code shard}. */
    static long keyOn(int shard, int n) {
        int seen = 0;
        for (long k = 1; ; k++) {
            if (ShardFunction.shardOf(I64Atom.of(k), SHARDS) == shard && seen++ == n) {
                return k;
            }
        }
    }

    @Test
    void readsSeeEveryWriteWholeOrNotAtAll() throws Exception {
        String emptyB = "(table [id batch] (list (as 'I64 []) (as 'I64 [])))";
        c.client.execute("(.cluster.create 'b " + emptyB + " 'id " + SHARDS + " 2)");
        c.oracle.execute("(count (set b " + emptyB + "))");
        long[] cIds = new long[2 * SHARDS];
        for (int s = 0; s < SHARDS; s++) {
            cIds[2 * s] = keyOn(s, 0);
            cIds[2 * s + 1] = keyOn(s, 1);
        }
        String rowsC = "(table [id ctr] (list " + vector(cIds) + " " + vector(new long[cIds.length]) + "))";
        c.client.execute("(.cluster.create 'c " + rowsC + " 'id " + SHARDS + " 2)");
        c.oracle.execute("(count (set c " + rowsC + "))");

        List<String> statementsB = new ArrayList<>();
        for (int k = 0; k < BATCHES; k++) {
            long[] ids = new long[SHARDS];
            for (int s = 0; s < SHARDS; s++) {
                ids[s] = keyOn(s, 2 + k);
            }
            long[] batch = new long[SHARDS];
            Arrays.fill(batch, k);
            statementsB.add("(insert 'b (list " + vector(ids) + " " + vector(batch) + "))");
            if (k % 3 == 2) {
                statementsB.add("(delete {from: 'b where: (== batch " + (k - 2) + ")})");
            }
        }
        List<String> statementsC = new ArrayList<>();
        for (int n = 1; n <= COUNTER_WRITES; n++) {
            long[] ctr = new long[cIds.length];
            Arrays.fill(ctr, n);
            statementsC.add(n % 2 == 1 ? "(update {ctr: (+ ctr 1) from: 'c})"
                    : "(upsert 'c 1 (table [id ctr] (list " + vector(cIds) + " " + vector(ctr) + ")))");
        }

        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger batchesSeen = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            threads.add(new Thread(() -> {
                long lastCtr = -1;
                while (!done.get()) {
                    try {
                        String p = batchProblem((RayTable) c.client.execute("b"));
                        if (p != null) {
                            wrong.add(p);
                        }
                        RayTable ct = (RayTable) c.client.execute("c");
                        long[] ctr = ((I64Vector) ct.column("ctr")).toArray();
                        if (Arrays.stream(ctr).distinct().count() != 1 || ctr[0] < lastCtr) {
                            wrong.add("c.ctr = " + Arrays.toString(ctr) + " after " + lastCtr);
                        } else {
                            lastCtr = ctr[0];
                        }
                        // one query over both tables takes both read locks
                        RayList both = (RayList) c.client.execute("(list (count b) (count c))");
                        long nb = ((I64Atom) both.get(0)).value();
                        if (nb % SHARDS != 0 || ((I64Atom) both.get(1)).value() != cIds.length) {
                            wrong.add("counts " + both);
                        }
                        batchesSeen.addAndGet((int) nb / SHARDS);
                        reads.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                    }
                }
            }, "reader-" + r));
        }
        threads.add(writer(statementsB, failures));
        threads.add(writer(statementsC, failures));
        long t0 = System.nanoTime();
        threads.forEach(Thread::start);
        for (Thread t : threads.subList(3, 5)) {
            t.join();
        }
        done.set(true);
        for (Thread t : threads.subList(0, 3)) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("atomic visibility: %d writes and %d read rounds (3 queries each) in %.1f s, %d failed requests%n",
                statementsB.size() + statementsC.size(), reads.get(), seconds, failures.size());
        assertThat(failures).as("failed requests").isEmpty();
        assertThat(wrong).as("reads that saw part of a write").isEmpty();
        assertThat(reads.get()).as("reads ran alongside the writes").isGreaterThan(20);
        assertThat(batchesSeen.get()).as("reads saw batches").isPositive();
        SameAnswer.assertSame("b", c.oracle.execute("b"), c.client.execute("b"));
        SameAnswer.assertSame("c", c.oracle.execute("c"), c.client.execute("c"));
        try (ClusterConnection zk = ClusterConnection.connect(c.zk.connectString(), c.cluster, Duration.ofSeconds(10))) {
            for (String t : List.of("b", "c")) {
                List<String> left = zk.curator().checkExists().forPath(ZkPaths.writes(t)) == null ? List.of()
                        : zk.curator().getChildren().forPath(ZkPaths.writes(t));
                assertThat(left).as("write intents of %s left behind", t).isEmpty();
            }
        }
    }

    /** Runs the statements in order on the cluster and, once acknowledged, on the oracle. */
    private Thread writer(List<String> statements, ConcurrentLinkedQueue<String> failures) {
        return new Thread(() -> {
            for (String s : statements) {
                try {
                    RayValue answer = c.client.execute(s);
                    assertThat(answer).as(s).isEqualTo(c.oracle.execute(s));
                } catch (RuntimeException | AssertionError e) {
                    failures.add(s + ": " + e);
                }
            }
        }, "writer");
    }

    /** Null when every batch in {@code b} has one row on each shard; else what is wrong. */
    static String batchProblem(RayTable b) {
        Map<Long, Integer> perBatch = new TreeMap<>();
        I64Vector batch = (I64Vector) b.column("batch");
        for (int i = 0; i < b.rowCount(); i++) {
            perBatch.merge(batch.get(i), 1, Integer::sum);
        }
        for (Map.Entry<Long, Integer> e : perBatch.entrySet()) {
            if (e.getValue() != SHARDS) {
                return "batch " + e.getKey() + " has " + e.getValue() + " of its " + SHARDS + " rows: " + perBatch;
            }
        }
        return null;
    }

    /**
     * What {@link WriteIntents#create} leaves when ZooKeeper fails between the intent's create and
     * the transaction that adds its owner and staging suffix (seen in the chaos suite when the
     * ZooKeeper leader was killed): an orphan without a suffix. Its writer never got it back, so it
     * touched no shard; recovery must delete it and leave every shard as it is. (Recovery once built
     * the staging names from the empty suffix, which named the shards themselves, and dropped them.)
     */
    @Test
    void anIntentRecordedHalfWayIsDeletedAndNoShardIsTouched() throws Exception {
        String rows = "(table [id v] (list [1 2 3 4 5 6 7 8] [10 20 30 40 50 60 70 80]))";
        c.client.execute("(.cluster.create 'half " + rows + " 'id " + SHARDS + " 2)");
        RayValue before = c.client.execute("(select {from: half})");
        ZooKeeperPlacement zk = (ZooKeeperPlacement) c.client.placement();
        var snapshot = zk.snapshot();
        WriteIntent.Builder half = WriteIntent.newBuilder().setTable("half")
                .setCreatedEpoch(snapshot.table("half").orElseThrow().getSpec().getCreatedEpoch())
                .setKind(WriteKind.COPY_ON_WRITE).setPhase(WritePhase.PREPARED).setStatement("upsert").setRouterId("crashed");
        for (int s = 0; s < SHARDS; s++) {
            ShardReplicas.Builder sr = ShardReplicas.newBuilder().setShard(s);
            for (Replica r : snapshot.shard("half", s).getReplicasList()) {
                sr.addNodes(r.getNodeId());
            }
            half.addShards(sr);
        }
        CuratorFramework curator = zk.connection().curator();
        // as its writer did: under the table's write lock (so this router's read lease is given up)
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            writer.submit(() -> {
                try (TableLock lock = new TableLocks(curator).write("half", Duration.ofSeconds(20))) {
                    curator.create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                            .forPath(ZkPaths.writes("half") + "/w-", ProtoJson.write(half.build()));
                }
                return null;
            }).get(30, TimeUnit.SECONDS);
        } finally {
            writer.shutdownNow();
        }
        assertThat(new WriteIntents(curator).any("half")).isTrue();
        assertThat(c.client.execute("(select {from: half})")).as("every shard as it was").isEqualTo(before);
        assertThat(new WriteIntents(curator).any("half")).as("the half-recorded intent is deleted").isFalse();
        c.client.execute("(upsert 'half 1 (list [1 9] [11 99]))");
        assertThat(c.client.execute("(count half)")).isEqualTo(I64Atom.of(9));
    }

    @Test
    void readLocksCostLittleOnLoopback() {
        String rows = "(table [id v] (list [1 2 3 4 5 6 7 8] [1 2 3 4 5 6 7 8]))";
        c.client.execute("(.cluster.create 'small " + rows + " 'id " + SHARDS + " 2)");
        ZooKeeperPlacement zk = (ZooKeeperPlacement) c.client.placement();
        // the same cluster through a placement that is not ZooKeeper's: no write services, so no locks
        try (ClusterClient unlocked = new ClusterClient(zk::snapshot)) {
            String q = "(select {s: (sum v) from: small})";
            RayValue expected = c.client.execute(q);
            assertThat(unlocked.execute(q)).isEqualTo(expected);
            for (int warm = 0; warm < 50; warm++) {
                c.client.execute(q);
                unlocked.execute(q);
            }
            long[] locked = new long[300];
            long[] bare = new long[300];
            for (int i = 0; i < locked.length; i++) {
                long t0 = System.nanoTime();
                assertThat(c.client.execute(q)).isEqualTo(expected);
                long t1 = System.nanoTime();
                assertThat(unlocked.execute(q)).isEqualTo(expected);
                bare[i] = System.nanoTime() - t1;
                locked[i] = t1 - t0;
            }
            Arrays.sort(locked);
            Arrays.sort(bare);
            double overhead = (locked[150] - bare[150]) / 1e6;
            System.out.printf("read lock overhead: median read %.2f ms with locks, %.2f ms without (%.2f ms per read; "
                    + "p90 %.2f vs %.2f ms)%n", locked[150] / 1e6, bare[150] / 1e6, overhead, locked[270] / 1e6, bare[270] / 1e6);
            assertThat(overhead).as("median lock overhead per read, ms").isLessThan(50);
        }
    }

    private static String vector(long[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : " ").append(v[i]);
        }
        return sb.append(']').toString();
    }
}
