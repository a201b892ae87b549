package io.rayforce.cluster.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.testing.Placements;
import io.rayforce.cluster.coordinator.testing.TestZooKeeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PlacementStoreTest {
    private static final List<String> NODES = List.of("node-1", "node-2", "node-3", "node-4", "node-5");

    private ClusterConnection conn;
    private ClusterView view;
    private PlacementStore store;

    @BeforeEach
    void start() {
        conn = TestZooKeeper.connect(TestZooKeeper.freshCluster());
        PlacementStore.ensureLayout(conn.curator());
        view = ClusterView.start(conn.curator(), Duration.ofSeconds(10));
        store = new PlacementStore(conn.curator(), view);
    }

    @AfterEach
    void stop() {
        view.close();
        conn.close();
    }

    @Test
    void tableRoundTripsThroughZooKeeperAtOneEpoch() throws Exception {
        TablePlacement t = Placements.roundRobin("trades", 8, 2, NODES);
        TablePlacement written = store.createTable(t);

        assertThat(written.getSpec().getCreatedEpoch()).isEqualTo(1);
        ClusterSnapshot snap = view.awaitEpoch(1, Duration.ofSeconds(5));
        TablePlacement read = snap.table("trades").orElseThrow();
        assertThat(read).isEqualTo(written);
        assertThat(read.getSpec().getShardKey()).isEqualTo("sym");
        assertThat(read.getShardsList()).allSatisfy(s -> assertThat(s.getReplicasList())
                .extracting(Replica::getSinceEpoch).containsOnly(1L));
        // another reader on another session sees the same thing
        try (ClusterConnection other = TestZooKeeper.connect(conn.cluster());
             ClusterView otherView = ClusterView.start(other.curator(), Duration.ofSeconds(10))) {
            assertThat(otherView.snapshot().table("trades")).contains(written);
            assertThat(otherView.snapshot().epoch()).isEqualTo(1);
        }
    }

    @Test
    void thousandsOfShardsStayFarBelowTheZnodeLimit() throws Exception {
        TablePlacement big = Placements.roundRobin("ticks", 4096, 3, NODES);
        store.createTable(big);

        CuratorFramework c = conn.curator();
        List<String> buckets = c.getChildren().forPath(ZkPaths.placement("ticks"));
        assertThat(buckets).hasSize(64);
        long total = 0;
        int largest = 0;
        for (String b : buckets) {
            Stat stat = c.checkExists().forPath(ZkPaths.placement("ticks") + "/" + b);
            largest = Math.max(largest, stat.getDataLength());
            total += stat.getDataLength();
        }
        assertThat(largest).as("largest bucket znode").isLessThan(32 * 1024);
        assertThat(c.checkExists().forPath(ZkPaths.table("ticks")).getDataLength()).isLessThan(1024);
        // the whole table is more than one transaction may carry, yet it appeared at one epoch
        assertThat(total).isGreaterThan(PlacementStore.TRANSACTION_BUDGET_BYTES);
        ClusterSnapshot snap = view.awaitEpoch(1, Duration.ofSeconds(10));
        assertThat(snap.epoch()).isEqualTo(1);
        assertThat(snap.table("ticks").orElseThrow().getShardsList()).hasSize(4096)
                .allSatisfy(s -> assertThat(s.getReplicasList()).hasSize(3));
        assertThat(snap.table("ticks").orElseThrow().getShardsList()).isEqualTo(big.getShardsList().stream()
                .map(s -> s.toBuilder().clearReplicas().addAllReplicas(s.getReplicasList().stream()
                        .map(r -> r.toBuilder().setSinceEpoch(1).build()).toList()).build()).toList());
    }

    @Test
    void aChangeRewritesOnlyTheBucketsItTouchesAndStampsOnlyChangedReplicas() throws Exception {
        store.createTable(Placements.roundRobin("trades", 200, 2, NODES));
        view.awaitEpoch(1, Duration.ofSeconds(5));
        CuratorFramework c = conn.curator();
        List<Long> before = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            before.add(c.checkExists().forPath(ZkPaths.bucket("trades", b)).getMzxid());
        }
        String holder = view.snapshot().shard("trades", 70).getReplicas(0).getNodeId();

        PlacementCommit commit = store.setReplicaState("trades", 70, holder, ReplicaState.STALE);

        assertThat(commit).isEqualTo(new PlacementCommit(2, true));
        ClusterSnapshot snap = view.awaitEpoch(2, Duration.ofSeconds(5));
        ShardPlacement s70 = snap.shard("trades", 70);
        assertThat(s70.getReplicas(0)).extracting(Replica::getState, Replica::getSinceEpoch).containsExactly(ReplicaState.STALE, 2L);
        assertThat(s70.getReplicas(1).getSinceEpoch()).isEqualTo(1);
        for (int b = 0; b < 4; b++) {
            long mzxid = c.checkExists().forPath(ZkPaths.bucket("trades", b)).getMzxid();
            if (b == 1) {
                assertThat(mzxid).isNotEqualTo(before.get(b));
            } else {
                assertThat(mzxid).as("bucket %d untouched", b).isEqualTo(before.get(b));
            }
        }
        // setting the same state again changes nothing
        assertThat(store.setReplicaState("trades", 70, holder, ReplicaState.STALE)).isEqualTo(new PlacementCommit(2, false));
    }

    @Test
    void aChangeTooBigForOneTransactionLandsInConsecutiveValidEpochs() throws Exception {
        store.createTable(Placements.roundRobin("ticks", 4096, 3, NODES));
        view.awaitEpoch(1, Duration.ofSeconds(10));

        PlacementCommit commit = store.update(snap -> List.of(Placements.withNodeState(
                snap.table("ticks").orElseThrow(), "node-2", ReplicaState.DOWN)));

        assertThat(commit.changed()).isTrue();
        assertThat(commit.epoch()).isGreaterThan(2);
        ClusterSnapshot snap = view.awaitEpoch(commit.epoch(), Duration.ofSeconds(10));
        long down = snap.table("ticks").orElseThrow().getShardsList().stream()
                .flatMap(s -> s.getReplicasList().stream())
                .filter(r -> r.getNodeId().equals("node-2")).peek(r -> assertThat(r.getState()).isEqualTo(ReplicaState.DOWN))
                .count();
        assertThat(down).isEqualTo(4096 * 3 / 5 + 1);
    }

    @Test
    void dropRemovesTheTableItsBucketsAndItsSequence() throws Exception {
        store.createTable(Placements.roundRobin("trades", 130, 1, NODES));
        new RowSequences(conn.curator()).reserve("trades", 10);
        long epoch = store.dropTable("trades");

        assertThat(epoch).isEqualTo(2);
        ClusterSnapshot snap = view.awaitEpoch(2, Duration.ofSeconds(5));
        assertThat(snap.table("trades")).isEmpty();
        assertThat(conn.curator().checkExists().forPath(ZkPaths.placement("trades"))).isNull();
        assertThat(conn.curator().checkExists().forPath(ZkPaths.table("trades"))).isNull();
        assertThat(conn.curator().checkExists().forPath(ZkPaths.sequence("trades"))).isNull();
        assertThatThrownBy(() -> store.dropTable("trades")).isInstanceOf(NoSuchTableException.class).hasMessageContaining("trades");
        // the name can be used again
        store.createTable(Placements.roundRobin("trades", 2, 1, NODES));
        assertThat(view.awaitEpoch(3, Duration.ofSeconds(5)).table("trades").orElseThrow().getShardsList()).hasSize(2);
    }

    @Test
    void creatingAnExistingTableFailsAndChangesNothing() {
        store.createTable(Placements.roundRobin("trades", 4, 1, NODES));
        assertThatThrownBy(() -> store.createTable(Placements.roundRobin("trades", 8, 2, NODES)))
                .isInstanceOf(TableExistsException.class).hasMessageContaining("trades");
        assertThat(store.currentEpoch()).isEqualTo(1);
    }

    @Test
    void aFencedStoreCannotWriteOnceItsFenceIsGone() throws Exception {
        store.createTable(Placements.roundRobin("trades", 4, 1, NODES));
        conn.curator().create().forPath("/fence");
        PlacementStore fenced = store.fencedBy(() -> "/fence");
        assertThat(fenced.setReplicaState("trades", 0, "node-1", ReplicaState.STALE).changed()).isTrue();
        conn.curator().delete().forPath("/fence");

        assertThatThrownBy(() -> fenced.setReplicaState("trades", 1, "node-2", ReplicaState.STALE))
                .isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> fenced.createTable(Placements.roundRobin("other", 4, 1, NODES))).isInstanceOf(FencedException.class);
        assertThat(store.currentEpoch()).isEqualTo(2);
    }

    @Test
    void theCurrentSnapshotShowsEveryChangeCommittedBefore() throws Exception {
        TablePlacement written = store.createTable(Placements.roundRobin("trades", 4, 1, NODES));
        assertThat(store.currentSnapshot().table("trades")).contains(written);
        long epoch = store.setReplicaState("trades", 0, "node-1", ReplicaState.STALE).epoch();
        ClusterSnapshot snap = store.currentSnapshot();
        assertThat(snap.epoch()).isEqualTo(epoch);
        assertThat(snap.shard("trades", 0).getReplicas(0).getState()).isEqualTo(ReplicaState.STALE);
    }

    @Test
    void drainFlagsAreMembershipNotPlacement() throws Exception {
        try (NodeRegistry reg = NodeRegistry.register(conn.curator(), NodeInfo.newBuilder()
                .setId("node-1").setHost("127.0.0.1").setIpcPort(1).build())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> view.snapshot().node("node-1").isPresent());
            store.setDraining("node-1", true);
            await().atMost(Duration.ofSeconds(5)).until(() -> view.snapshot().node("node-1").orElseThrow().getDraining());
            assertThat(view.snapshot().epoch()).isZero();
            store.setDraining("node-1", false);
            await().atMost(Duration.ofSeconds(5)).until(() -> !view.snapshot().node("node-1").orElseThrow().getDraining());
        }
    }

    @Test
    void replicaOfAnUnknownNodeIsAClearError() {
        store.createTable(Placements.roundRobin("trades", 4, 1, NODES));
        assertThatThrownBy(() -> store.setReplicaState("trades", 0, "nobody", ReplicaState.STALE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trades/0").hasMessageContaining("nobody");
        assertThatThrownBy(() -> store.setReplicaState("nothing", 0, "node-1", ReplicaState.STALE))
                .isInstanceOf(NoSuchTableException.class).hasMessageContaining("nothing");
        assertThatThrownBy(() -> store.createTable(TablePlacement.newBuilder().setSpec(Placements.spec("bad", 3, 1)).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 shards");
        assertThat(IntStream.range(0, 1)).isNotEmpty();
    }
}
