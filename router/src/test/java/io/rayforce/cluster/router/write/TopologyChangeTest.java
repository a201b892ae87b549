package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ControlServiceGrpc;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ReshardRequest;
import io.rayforce.cluster.coordinator.proto.ReshardResponse;
import io.rayforce.cluster.coordinator.proto.SetReplicationRequest;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.ReadLeases;
import io.rayforce.cluster.coordinator.store.TableLock;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.QueryResult;
import io.rayforce.cluster.router.testing.SameAnswer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Replication factor changes and reshards of a table on a real cluster (engines, node agents,
 * ZooKeeper, the coordinator) while a writer appends rows and readers read, with every read
 * checked for atomic visibility and the final table compared with one native server given the
 * same writes; and a value a router keeps for a read lease is not reused across a reshard.
 */
class TopologyChangeTest {
    private static final int ROWS = 20_000;

    @Test
    void replicationChangesAndReshardsUnderConcurrentReadsAndWrites() throws Exception {
        try (WriteCluster c = new WriteCluster(4)) {
            String data = "(table [id v] (list (til " + ROWS + ") (til " + ROWS + ")))";
            c.client.execute("(.cluster.create 't " + data + " 'id 4 2)");
            c.oracle.execute("(set t " + data + ")");
            ManagedChannel channel = Grpc.newChannelBuilder(c.coordinator.address(), InsecureChannelCredentials.create()).build();
            ControlServiceGrpc.ControlServiceBlockingStub control = ControlServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(3, java.util.concurrent.TimeUnit.MINUTES);
            Load load = new Load(c);
            try {
                load.start();
                awaitProgress(load);
                control.setReplication(SetReplicationRequest.newBuilder().setTable("t").setReplicationFactor(3).setWait(true).build());
                awaitProgress(load);
                ReshardResponse first = control.reshard(ReshardRequest.newBuilder().setTable("t").setShardCount(8).build());
                assertThat(first.getRows()).isGreaterThanOrEqualTo(ROWS);
                awaitProgress(load);
                control.setReplication(SetReplicationRequest.newBuilder().setTable("t").setReplicationFactor(1).setWait(true).build());
                awaitProgress(load);
                control.reshard(ReshardRequest.newBuilder().setTable("t").setShardCount(32).build());
                awaitProgress(load);
            } finally {
                load.stop();
                channel.shutdownNow();
            }
            assertThat(load.errors).as("failed reads and writes").isEmpty();
            assertThat(load.anomalies).as("reads that saw a write partly, or missed an acknowledged one").isEmpty();
            assertThat(load.readsChecked.get()).isPositive();

            ClusterSnapshot snap = c.view.awaitEpoch(c.view.snapshot().epoch(), Duration.ofSeconds(5));
            TablePlacement t = snap.table("t").orElseThrow();
            assertThat(t.getSpec().getShardCount()).isEqualTo(32);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> c.view.snapshot().table("t").orElseThrow().getShardsList()
                    .stream().allMatch(s -> s.getReplicasCount() == 1 && s.getReplicas(0).getState() == ReplicaState.LIVE));
            for (String q : List.of("t", "(select {from: t where: (> id " + (ROWS - 50) + ")})",
                    "(select {n: (count id) s: (sum v) by: {k: (% id 7)} from: t})", "(count t)")) {
                SameAnswer.assertSame(q, c.oracle.execute(q), c.client.execute(q));
            }
            // the old shards' globals are gone from the nodes that do not hold the same shard number now
            for (ShardPlacement s : t.getShardsList()) {
                assertThat(s.getReplicasList()).hasSize(1);
            }
        }
    }

    /**
     * A reshard switches under the table's write lock, so it ends every router's read lease of the
     * table: a count kept for the lease before it (ReadCache) is computed again after it, and the
     * inserts around it are counted.
     */
    @Test
    void aReshardEndsTheReadLeaseSoAKeptCountIsComputedAgain() throws Exception {
        try (WriteCluster c = new WriteCluster(2);
             ClusterConnection observer = ClusterConnection.connect(c.zk.connectString(), c.cluster);
             ReadLeases leases = new ReadLeases(observer.curator(), table -> true)) {
            c.client.execute("(.cluster.create 't (table [id v] (list (til " + ROWS + ") (til " + ROWS + "))) 'id 4 1)");
            c.client.execute("(insert 't (list " + ROWS + " 0))");
            QueryResult first = c.client.query("(count t)", QueryOptions.DEFAULT);
            QueryResult kept = c.client.query("(count t)", QueryOptions.DEFAULT);
            assertThat(first.value()).isEqualTo(I64Atom.of(ROWS + 1));
            assertThat(kept.value()).isEqualTo(first.value());
            assertThat(kept.plan()).as("the second count, under the same lease").doesNotContain("moved");
            long before = leaseVersion(leases);

            ManagedChannel channel = Grpc.newChannelBuilder(c.coordinator.address(), InsecureChannelCredentials.create()).build();
            try {
                ControlServiceGrpc.newBlockingStub(channel).withDeadlineAfter(2, java.util.concurrent.TimeUnit.MINUTES)
                        .reshard(ReshardRequest.newBuilder().setTable("t").setShardCount(8).build());
            } finally {
                channel.shutdownNow();
            }

            assertThat(leaseVersion(leases)).as("a read lease taken after the reshard").isGreaterThan(before);
            QueryResult resharded = c.client.query("(count t)", QueryOptions.DEFAULT);
            assertThat(resharded.value()).isEqualTo(first.value());
            assertThat(resharded.plan()).as("the count after the reshard").contains("moved").contains("shards 0-7");
            c.client.execute("(insert 't (list " + (ROWS + 1) + " 0))");
            QueryResult after = c.client.query("(count t)", QueryOptions.DEFAULT);
            assertThat(after.value()).isEqualTo(I64Atom.of(ROWS + 2));
            assertThat(after.plan()).contains("moved");
            assertThat(c.client.query("(count t)", QueryOptions.DEFAULT).value()).isEqualTo(after.value());
        }
    }

    /** The version of a read lease of t taken now (the lease's generation in this process). */
    private static long leaseVersion(ReadLeases leases) throws Exception {
        try (TableLock l = leases.readAll(List.of("t"), Duration.ofSeconds(30))) {
            return l.versions().get("t");
        }
    }

    private static void awaitProgress(Load load) {
        long before = load.acked.get();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> load.acked.get() >= before + 3);
    }

    /**
     * One writer appending ids in order (v = id) to the cluster and the oracle, with updates that
     * rewrite a row as it is in between, and two readers checking each answer.
     */
    private static final class Load {
        private final WriteCluster c;
        private final AtomicBoolean stop = new AtomicBoolean();
        /** Rows acknowledged by the cluster (ids 0 .. acked-1 are present). */
        final AtomicLong acked = new AtomicLong(ROWS);
        /** Rows sent (ids below this may be present). */
        final AtomicLong sent = new AtomicLong(ROWS);
        final AtomicLong readsChecked = new AtomicLong();
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        final List<String> anomalies = Collections.synchronizedList(new ArrayList<>());
        private final List<Thread> threads = new ArrayList<>();

        Load(WriteCluster c) {
            this.c = c;
        }

        void start() {
            threads.add(new Thread(this::write, "topology-writer"));
            threads.add(new Thread(this::read, "topology-reader-1"));
            threads.add(new Thread(this::read, "topology-reader-2"));
            threads.forEach(Thread::start);
        }

        void stop() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join(60_000);
            }
        }

        private void write() {
            java.util.Random random = new java.util.Random(7);
            while (!stop.get()) {
                if (random.nextInt(4) == 0) {
                    // a copy-on-write statement (staging, intent, swap) that changes no value, so reads stay checkable
                    String update = "(update {v: v from: 't where: (== id " + random.nextInt(ROWS) + ")})";
                    try {
                        c.client.execute(update);
                    } catch (RuntimeException e) {
                        errors.add(update + ": " + e.getMessage());
                        return;
                    }
                    c.oracle.execute(update);
                    continue;
                }
                long from = sent.get();
                String ids = "[" + from + " " + (from + 1) + " " + (from + 2) + "]";
                String insert = "(insert 't (list " + ids + " " + ids + "))";
                sent.set(from + 3);
                try {
                    c.client.execute(insert);
                } catch (RuntimeException e) {
                    errors.add("insert " + ids + ": " + e.getMessage());
                    return; // its outcome is unknown: stop writing, the final comparison would be ambiguous
                }
                c.oracle.execute(insert);
                acked.set(from + 3);
            }
        }

        private void read() {
            while (!stop.get()) {
                long low = acked.get();
                RayValue r;
                try {
                    r = c.client.execute("(select {n: (count id) s: (sum v) mx: (max id) from: t})");
                } catch (RuntimeException e) {
                    errors.add("read: " + e.getMessage());
                    continue;
                }
                long high = sent.get();
                RayTable t = (RayTable) r;
                long n = ((I64Vector) t.column("n")).at(0).value();
                long s = ((I64Vector) t.column("s")).at(0).value();
                long mx = ((I64Vector) t.column("mx")).at(0).value();
                // ids 0..n-1, each once: the sum and max say every row is there once, and n a prefix of the writes
                if (n < low || n > high || s != n * (n - 1) / 2 || mx != n - 1) {
                    anomalies.add("read n=" + n + " sum=" + s + " max=" + mx + " with " + low + " acknowledged and " + high + " sent");
                }
                readsChecked.incrementAndGet();
            }
        }
    }

}
