package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.meta.ShardFunction;
import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ShardReplicas;
import io.rayforce.cluster.coordinator.proto.WriteIntent;
import io.rayforce.cluster.coordinator.proto.WriteKind;
import io.rayforce.cluster.coordinator.proto.WritePhase;
import io.rayforce.cluster.coordinator.store.ProtoJson;
import io.rayforce.cluster.coordinator.store.RowSequences;
import io.rayforce.cluster.coordinator.store.TableLock;
import io.rayforce.cluster.coordinator.store.TableLocks;
import io.rayforce.cluster.coordinator.store.WriteIntents;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import io.rayforce.cluster.router.testing.SameAnswer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The crash windows of a write lease (docs/router.md, Write leases), each left on the replicas
 * exactly as a router that died at that moment leaves it (the replicas' records and pending
 * tables, written with the lease's own requests, and an orphan {@code APPEND_LEASE} intent), then
 * recovered by the next read: a group appended and committed nowhere is absent; a group committed
 * on one replica only is committed everywhere; a one-step group that one replica of its shard
 * missed is present and that replica goes STALE (and is re-copied); and afterwards the dead lease
 * is fenced: its requests are refused on every replica. Every time the table equals one server
 * that applied the writes that must be present, and no intent or pending row is left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WriteLeaseRecoveryTest {
    private static final int SHARDS = 4;
    private static final String T = "lr";

    WriteCluster c;
    final Map<String, TCPClient> engines = new HashMap<>();
    long epoch;

    @BeforeAll
    void start() {
        c = new WriteCluster(3);
        String empty = "(table [id v] (list (as 'I64 []) (as 'I64 [])))";
        c.client.execute("(.cluster.create '" + T + " " + empty + " 'id " + SHARDS + " 2)");
        c.oracle.execute("(count (set " + T + " " + empty + "))");
        String rows = "(insert '" + T + " (list [1 2 3 4 5 6 7 8] [10 20 30 40 50 60 70 80]))";
        c.client.execute(rows);
        c.oracle.execute(rows);
        epoch = snapshot().table(T).orElseThrow().getSpec().getCreatedEpoch();
    }

    @AfterAll
    void stop() {
        engines.values().forEach(TCPClient::close);
        c.close();
    }

    @Test
    @Order(1)
    void aGroupAppendedButCommittedNowhereIsAbsent() throws Exception {
        long lease = deadLease();
        int shard = 0;
        long id = keyOn(shard, 100);
        for (String node : nodesOf(shard)) {
            assertThat(ask(node, AppendForms.append(T, epoch, lease, List.of(shard), Map.of(shard, row(id, 1, lease)))))
                    .isEqualTo(I64Atom.of(1));
        }
        assertRecovered("a group committed nowhere");
    }

    @Test
    @Order(2)
    void aGroupCommittedOnOneReplicaIsCommittedEverywhere() throws Exception {
        long lease = deadLease();
        long a = keyOn(1, 200);
        long b = keyOn(2, 200);
        Map<Integer, RayTable> parts = Map.of(1, row(a, 2, lease), 2, row(b, 3, lease + 1));
        for (int shard : parts.keySet()) {
            for (String node : nodesOf(shard)) {
                ask(node, AppendForms.append(T, epoch, lease, List.of(shard), Map.of(shard, parts.get(shard))));
            }
        }
        // the router died after the commit reached the first replica of shard 1 only
        String first = nodesOf(1).get(0);
        assertThat(ask(first, AppendForms.commit(T, epoch, lease, Map.of(1, 1L), lease + 1))).isEqualTo(I64Atom.of(1));
        c.oracle.execute("(insert '" + T + " (list [" + a + " " + b + "] [2 3]))");
        assertRecovered("a group committed on one replica");
    }

    @Test
    @Order(3)
    void aOneStepGroupOneReplicaMissedIsPresentAndThatReplicaGoesStale() throws Exception {
        long lease = deadLease();
        int shard = 3;
        long id = keyOn(shard, 300);
        String first = nodesOf(shard).get(0);
        String second = nodesOf(shard).get(1);
        assertThat(ask(first, AppendForms.direct(T, epoch, lease, List.of(shard), Map.of(shard, row(id, 4, lease)), lease, true)))
                .isEqualTo(I64Atom.of(1));
        RayTable none = RayTable.builder().column("id", I64Vector.of()).column("v", I64Vector.of())
                .column(ClusterNaming.SEQ_COLUMN, I64Vector.of()).build();
        assertThat(ask(second, AppendForms.append(T, epoch, lease, List.of(shard), Map.of(shard, none))))
                .as("the second replica taken by the lease, without the group").isEqualTo(I64Atom.of(1));
        c.oracle.execute("(insert '" + T + " (list " + id + " 4))");
        SameAnswer.assertSame("after recovery", c.oracle.execute(T), c.client.execute(T));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(rowsPerReplica(shard)).as("the replica that missed it was re-copied").allMatch(n -> n == rowsPerReplica(shard).get(0)));
        assertRecovered("a one-step group one replica missed");
    }

    @Test
    @Order(4)
    void aRecoveredLeaseIsFencedOnEveryReplica() throws Exception {
        long lease = deadLease();
        int shard = 1;
        for (String node : nodesOf(shard)) {
            ask(node, AppendForms.append(T, epoch, lease, List.of(shard), Map.of(shard, row(keyOn(shard, 400), 5, lease))));
        }
        assertRecovered("before the dead router tries again");
        for (String node : nodesOf(shard)) {
            assertThat(ask(node, AppendForms.commit(T, epoch, lease, Map.of(shard, 1L), lease)))
                    .as("the dead lease's commit is refused on %s", node).isEqualTo(I64Atom.of(AppendForms.FENCED));
            assertThat(ask(node, AppendForms.append(T, epoch, lease, List.of(shard), Map.of(shard, row(keyOn(shard, 401), 6,
                    lease + 1))))).as("and taking the replica again").isEqualTo(I64Atom.of(AppendForms.FENCED));
        }
        SameAnswer.assertSame("nothing of it", c.oracle.execute(T), c.client.execute(T));
        // and the table is written as before: a new lease takes the replicas
        String more = "(insert '" + T + " (list [" + keyOn(0, 500) + " " + keyOn(1, 500) + "] [7 8]))";
        c.client.execute(more);
        c.oracle.execute(more);
        SameAnswer.assertSame("written again", c.oracle.execute(T), c.client.execute(T));
    }

    /**
     * Two requests of one lease both take a replica: the one-step group's request, which its
     * committer sends after the next group's append reached the node (the chaos suite's
     * partition-node-all saw this lose a row on a replica that stayed LIVE). The second take keeps
     * the first's pending rows, so the commit moves them.
     */
    @Test
    @Order(5)
    void aReplicaTakenTwiceByOneLeaseKeepsTheRowsPendingOnIt() throws Exception {
        long lease = deadLease();
        int shard = 2;
        long appended = keyOn(shard, 600);
        long direct = keyOn(shard, 601);
        for (String node : nodesOf(shard)) {
            assertThat(ask(node, AppendForms.append(T, epoch, lease, List.of(shard), Map.of(shard, row(appended, 9, lease + 1)))))
                    .isEqualTo(I64Atom.of(1));
            assertThat(ask(node, AppendForms.direct(T, epoch, lease, List.of(shard), Map.of(shard, row(direct, 10, lease)), lease,
                    true))).as("the one-step group, taking the replica again on %s", node).isEqualTo(I64Atom.of(1));
            assertThat(ask(node, AppendForms.commit(T, epoch, lease, Map.of(shard, 1L), lease + 1))).isEqualTo(I64Atom.of(1));
        }
        assertThat(rowsPerReplica(shard)).as("rows of shard %d per replica", shard).allMatch(n -> n.equals(rowsPerReplica(shard).get(0)));
        c.oracle.execute("(insert '" + T + " (list [" + direct + " " + appended + "] [10 9]))");
        assertRecovered("a replica taken twice by one lease");
    }

    /**
     * A commit checks that exactly the group's rows are pending before it moves them: on a replica
     * that lost them it changes nothing and answers {@link AppendForms#NOT_PENDING} (the router
     * reports that replica STALE), where it used to answer ok with a group it lacked.
     */
    @Test
    @Order(6)
    void aCommitThatFindsTheGroupsRowsNotPendingChangesNothing() throws Exception {
        long lease = deadLease();
        int shard = 0;
        List<String> nodes = nodesOf(shard);
        for (String node : nodes) {
            assertThat(ask(node, AppendForms.append(T, epoch, lease, List.of(shard), Map.of(shard, row(keyOn(shard, 700), 11,
                    lease))))).isEqualTo(I64Atom.of(1));
        }
        String pending = ClusterNaming.pendingGlobal(T, shard);
        engine(nodes.get(0)).execute("(set " + pending + " (take " + pending + " 0)) 0");
        long before = rowsPerReplica(shard).get(0);
        RayValue record = engine(nodes.get(0)).execute(ClusterNaming.recordGlobal(T, shard));
        assertThat(ask(nodes.get(0), AppendForms.commit(T, epoch, lease, Map.of(shard, 1L), lease)))
                .as("the commit on the replica that lost its pending row").isEqualTo(I64Atom.of(AppendForms.NOT_PENDING));
        assertThat(ask(nodes.get(1), AppendForms.commit(T, epoch, lease, Map.of(shard, 2L), lease)))
                .as("a count that is not the group's").isEqualTo(I64Atom.of(AppendForms.NOT_PENDING));
        assertThat(rowsPerReplica(shard).get(0)).isEqualTo(before);
        assertThat(engine(nodes.get(0)).execute(ClusterNaming.recordGlobal(T, shard))).isEqualTo(record);
        assertThat(engine(nodes.get(1)).execute("(count " + pending + ")")).isEqualTo(I64Atom.of(1));
        assertRecovered("a group whose commit found its rows missing");
    }

    /**
     * Leaves an orphan lease intent (as its router's death does) under the table's write lock, so
     * this router's read lease is given up and the next read finds it; answers the lease's number.
     */
    private long deadLease() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> !intents().any(T)); // this router's own lease let go
        CuratorFramework curator = ((ZooKeeperPlacement) c.client.placement()).connection().curator();
        long lease = new RowSequences(curator).reserve(T, 1_000); // as a lease reserves its first block
        ClusterSnapshot s = snapshot();
        WriteIntent.Builder b = WriteIntent.newBuilder().setTable(T).setCreatedEpoch(epoch).setKind(WriteKind.APPEND_LEASE)
                .setStatement("insert").setSeqFirst(lease).setPhase(WritePhase.PREPARED).setRouterId("dead")
                .setStagingSuffix(WriteIntents.stagingSuffix(lease));
        for (int shard = 0; shard < SHARDS; shard++) {
            ShardReplicas.Builder sr = ShardReplicas.newBuilder().setShard(shard);
            for (Replica r : s.shard(T, shard).getReplicasList()) {
                sr.addNodes(r.getNodeId());
            }
            b.addShards(sr);
        }
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            writer.submit(() -> {
                try (TableLock lock = new TableLocks(curator).write(T, Duration.ofSeconds(20))) {
                    curator.create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                            .forPath(ZkPaths.writes(T) + "/w-", ProtoJson.write(b.build()));
                }
                return null;
            }).get(30, TimeUnit.SECONDS);
        } finally {
            writer.shutdownNow();
        }
        return lease;
    }

    /** The next read recovers the dead lease: the table equals the oracle, no intent and no pending row is left. */
    private void assertRecovered(String what) {
        SameAnswer.assertSame(what, c.oracle.execute(T), c.client.execute(T));
        assertThat(intents().list(T)).as("intents left").allMatch(WriteIntents.Stored::owned);
        for (int shard = 0; shard < SHARDS; shard++) {
            for (String node : nodesOf(shard)) {
                RayValue p = engine(node).execute("(if (== (type (resolve '" + ClusterNaming.pendingGlobal(T, shard)
                        + ")) 'TABLE) (count " + ClusterNaming.pendingGlobal(T, shard) + ") 0)");
                assertThat(p).as("pending rows of shard %d on %s", shard, node).isEqualTo(I64Atom.of(0));
            }
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            RayTable replicas = (RayTable) ((RayDict) c.client.execute("(.cluster.describe '" + T + ")")).get("replicas");
            assertThat(((SymbolVector) replicas.column("state")).toList()).containsOnly("LIVE");
        });
    }

    private List<Long> rowsPerReplica(int shard) {
        List<Long> out = new ArrayList<>();
        for (String node : nodesOf(shard)) {
            out.add(((I64Atom) engine(node).execute("(count " + ClusterNaming.shardGlobal(T, shard) + ")")).value());
        }
        return out;
    }

    private static RayTable row(long id, long v, long seq) {
        return RayTable.builder().column("id", I64Vector.of(id)).column("v", I64Vector.of(v))
                .column(ClusterNaming.SEQ_COLUMN, I64Vector.of(seq)).build();
    }

    private RayValue ask(String node, RayValue request) {
        ReplicaWrites.check(request);
        return engine(node).execute(request);
    }

    private WriteIntents intents() {
        return new WriteIntents(((ZooKeeperPlacement) c.client.placement()).connection().curator());
    }

    private ClusterSnapshot snapshot() {
        return c.client.placement().snapshot();
    }

    private List<String> nodesOf(int shard) {
        List<String> out = new ArrayList<>();
        for (Replica r : snapshot().shard(T, shard).getReplicasList()) {
            out.add(r.getNodeId());
        }
        return out;
    }

    private TCPClient engine(String node) {
        return engines.computeIfAbsent(node, n -> new TCPClient("127.0.0.1",
                c.agents.get(Integer.parseInt(n.substring(1))).ipcPort(), ClientOptions.DEFAULT));
    }

    /** The {@code n}-th key (from {@code from}) that the shard function puts on {@code shard}. */
    private static long keyOn(int shard, long from) {
        for (long k = from * 1000; ; k++) {
            if (ShardFunction.shardOf(I64Atom.of(k), SHARDS) == shard) {
                return k;
            }
        }
    }
}
