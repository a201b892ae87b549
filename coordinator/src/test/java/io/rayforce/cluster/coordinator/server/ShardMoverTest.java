package io.rayforce.cluster.coordinator.server;

import static io.rayforce.cluster.coordinator.server.ControlServiceTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.placement.PlacementEdits;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.store.NodeRegistry;
import io.rayforce.cluster.coordinator.store.ShardLock;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A copy that is no longer wanted when it finishes (its table dropped, its replica removed) is dropped from its node; a
 * DROPPING replica goes only under its shard's lock.
 */
class ShardMoverTest {
    private final LeaderFixture f = new LeaderFixture().withNodes("n1", "n2");
    private final DdlHandler ddl = new DdlHandler(f.store, f.nodes, f.routers, LeaderFixture.ROUTER_WAIT);

    @AfterEach
    void close() {
        ddl.close();
        f.close();
    }

    /** Table t of one shard with one replica holding rows; answers the node without it. */
    private String tableOnOneNode() throws Exception {
        ClusterSnapshot snap = f.placed(spec("t", 1, 1));
        String holder = snap.shard("t", 0).getReplicas(0).getNodeId();
        f.node(holder).write("t", 0, 42);
        return holder.equals("n1") ? "n2" : "n1";
    }

    @Test
    void aCopyWhoseTableWasDroppedMeanwhileIsDropped() throws Exception {
        String target = tableOnOneNode();
        f.node(target).duringCopy = () -> {
            try {
                ddl.dropTable("t", false); // drops the shard on every node of the placement, the copying one too
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };

        f.mover().add("t", 0, target, null);

        assertThat(f.snapshot().table("t")).isEmpty();
        assertThat(f.node(target).commands).containsSubsequence("copy t/0 from " + other(target), "drop t/0", "drop t/0");
        assertThat(f.node(target).holds("t", 0)).as("the finished copy of a dropped table").isFalse();
    }

    @Test
    void aCopyWhoseReplicaWasRemovedMeanwhileIsDroppedAndTheReplicaItWouldReplaceKept() throws Exception {
        String target = tableOnOneNode();
        String source = other(target);
        f.node(target).duringCopy = () -> f.mover().remove("t", 0, target, Set.of(ReplicaState.COPYING));

        f.mover().add("t", 0, target, source);

        ClusterSnapshot after = f.snapshot();
        assertThat(PlacementEdits.state(after.table("t").orElseThrow(), 0, target)).isNull();
        assertThat(PlacementEdits.state(after.table("t").orElseThrow(), 0, source)).isEqualTo(ReplicaState.LIVE);
        assertThat(f.node(target).holds("t", 0)).as("the finished copy of a removed replica").isFalse();
        assertThat(f.node(source).rows("t", 0)).isEqualTo(42);
    }

    @Test
    void aCopyStillPlacedIsKept() throws Exception {
        String target = tableOnOneNode();

        f.mover().add("t", 0, target, null);

        assertThat(PlacementEdits.state(f.snapshot().table("t").orElseThrow(), 0, target)).isEqualTo(ReplicaState.LIVE);
        assertThat(f.node(target).rows("t", 0)).isEqualTo(42);
    }

    @Test
    void aDropWaitsForTheShardLockThatAWriteLeaseHolds() throws Exception {
        String target = tableOnOneNode();
        String retired = other(target);
        f.mover().add("t", 0, target, null);
        f.mover().retire("t", 0, retired);
        CompletableFuture<Void> drop;
        try (ShardLock lease = f.locks.lock("t", 0, Duration.ofSeconds(5))) {
            drop = CompletableFuture.runAsync(() -> {
                try {
                    f.mover().drop("t", 0, retired);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // while the lock is held (a write lease may still send a group planned before DROPPING), nothing goes
            assertThat(drop).as("the drop while the lock is held").isNotCompleted();
            Thread.sleep(500);
            assertThat(drop).isNotCompleted();
            assertThat(f.node(retired).holds("t", 0)).isTrue();
            assertThat(f.node(retired).commands).doesNotContain("drop t/0");
        }
        drop.get(30, TimeUnit.SECONDS);
        assertThat(f.node(retired).holds("t", 0)).isFalse();
        assertThat(PlacementEdits.state(f.snapshot().table("t").orElseThrow(), 0, retired)).isNull();
        assertThat(PlacementEdits.state(f.snapshot().table("t").orElseThrow(), 0, target)).isEqualTo(ReplicaState.LIVE);
    }

    /**
     * A copy onto a node that takes TCP connections and answers nothing (killed, not yet found lost
     * by its ZooKeeper session) is put off before the shard's lock is taken, where the copy used to
     * hold the lock, and every write of the table with it, until its deadline.
     */
    @Test
    void aCopyOntoANodeThatDoesNotAnswerIsPutOffWithoutTakingTheShard() throws Exception {
        String target = tableOnOneNode();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             NodeRegistry ghost = NodeRegistry.register(f.connection.curator(), NodeInfo.newBuilder().setId("n9")
                     .setHost("127.0.0.1").setIpcPort(1).setControlPort(silent.getLocalPort()).setEngineUp(true).build())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> f.snapshot().node("n9").isPresent());
            assertThatThrownBy(() -> f.mover().add("t", 0, "n9", null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("put off: the node does not answer");
            assertThat(PlacementEdits.state(f.snapshot().table("t").orElseThrow(), 0, "n9")).as("never COPYING").isNull();
            // and the shard was never locked: a writer takes it at once
            try (ShardLock lock = f.locks.lock("t", 0, Duration.ofMillis(500))) {
                assertThat(lock).isNotNull();
            }
        }
        f.mover().add("t", 0, target, null);
        assertThat(PlacementEdits.state(f.snapshot().table("t").orElseThrow(), 0, target)).isEqualTo(ReplicaState.LIVE);
    }

    private static String other(String node) {
        return node.equals("n1") ? "n2" : "n1";
    }
}
