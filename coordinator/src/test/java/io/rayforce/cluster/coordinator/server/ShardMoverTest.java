package io.rayforce.cluster.coordinator.server;

import static io.rayforce.cluster.coordinator.server.ControlServiceTest.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.placement.PlacementEdits;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A copy that is no longer wanted when it finishes (its table dropped, its replica removed) is dropped from its node. */
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

    private static String other(String node) {
        return node.equals("n1") ? "n2" : "n1";
    }
}
