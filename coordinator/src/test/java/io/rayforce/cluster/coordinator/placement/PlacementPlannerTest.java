package io.rayforce.cluster.coordinator.placement;

import static io.rayforce.cluster.coordinator.placement.PlacementPlannerPropertyTest.snapshot;
import static io.rayforce.cluster.coordinator.placement.PlacementPlannerPropertyTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardMove;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementPlannerTest {
    private static final List<String> ABC = List.of("a", "b", "c");

    @Test
    void replicationAboveTheEligibleNodesIsRefusedNamingThem() {
        assertThatThrownBy(() -> PlacementPlanner.placeTable(spec("t", 4, 3), snapshot(List.of("a", "b"), List.of()), List.of("a", "b")))
                .isInstanceOf(PlacementException.class)
                .hasMessage("replication factor 3 exceeds the 2 nodes that can take shards (a, b)");
    }

    @Test
    void shardsGoRoundTheNodesFewestFirstTiesById() {
        List<ShardPlacement> p = PlacementPlanner.placeTable(spec("t", 3, 2), snapshot(ABC, List.of()), ABC);
        assertThat(p).extracting(s -> s.getReplicasList().stream().map(Replica::getNodeId).toList())
                .containsExactly(List.of("a", "b"), List.of("c", "a"), List.of("b", "c"));
    }

    @Test
    void aTableReplicatedToAllGoesToEveryEligibleNode() {
        var spec = spec("dim", 1, 0).toBuilder().setReplicatedToAll(true).clearShardKey().build();
        List<ShardPlacement> p = PlacementPlanner.placeTable(spec, snapshot(ABC, List.of()), List.of("c", "a"));
        assertThat(p).hasSize(1);
        assertThat(p.get(0).getReplicasList()).extracting(Replica::getNodeId).containsExactly("a", "c");
        assertThatThrownBy(() -> PlacementPlanner.placeTable(spec, snapshot(ABC, List.of()), List.of()))
                .isInstanceOf(PlacementException.class).hasMessageContaining("no node can take shards");
    }

    @Test
    void eligibleNodesAreMembersNotDrainingWithTheirEngineUp() {
        ClusterSnapshot snap = new ClusterSnapshot(ClusterState.newBuilder()
                .addNodes(NodeInfo.newBuilder().setId("b").setEngineUp(true))
                .addNodes(NodeInfo.newBuilder().setId("a").setEngineUp(true))
                .addNodes(NodeInfo.newBuilder().setId("c").setEngineUp(true).setDraining(true))
                .addNodes(NodeInfo.newBuilder().setId("d").setEngineUp(false))
                .build());
        assertThat(PlacementPlanner.eligibleNodes(snap)).containsExactly("a", "b");
    }

    @Test
    void aRepairTargetDoesNotHoldTheShardAndCarriesTheLeast() {
        TablePlacement t = TablePlacement.newBuilder().setSpec(spec("t", 2, 2))
                .addShards(shard(0, "a", "b"))
                .addShards(shard(1, "b", "c"))
                .build();
        ClusterSnapshot snap = snapshot(List.of("a", "b", "c", "d"), List.of(t));
        assertThat(PlacementPlanner.repairTarget(snap, "t", 0, List.of("a", "b", "c", "d"))).contains("d");
        assertThat(PlacementPlanner.repairTarget(snap, "t", 0, List.of("a", "b", "c"))).contains("c");
        assertThat(PlacementPlanner.repairTarget(snap, "t", 0, List.of("a", "b"))).isEmpty();
    }

    @Test
    void aJoiningNodeReceivesItsShareAndOnlyLiveShardsMove() {
        TablePlacement t = TablePlacement.newBuilder().setSpec(spec("t", 4, 1))
                .addShards(shard(0, "a")).addShards(shard(1, "b")).addShards(shard(2, "a")).addShards(shard(3, "b"))
                .build();
        List<ShardMove> moves = PlacementPlanner.planRebalance(snapshot(List.of("a", "b", "c"), List.of(t)), List.of("a", "b", "c"));
        assertThat(moves).hasSize(1);
        assertThat(moves.get(0).getToNode()).isEqualTo("c");

        // shard 0 and 2 (on a) are being repaired: a STALE replica holds them back
        TablePlacement busy = t.toBuilder()
                .setShards(0, ShardPlacement.newBuilder().setShard(0).addReplicas(Replica.newBuilder().setNodeId("a").setState(ReplicaState.STALE)))
                .setShards(1, ShardPlacement.newBuilder().setShard(1).addReplicas(Replica.newBuilder().setNodeId("b").setState(ReplicaState.COPYING)))
                .build();
        List<ShardMove> some = PlacementPlanner.planRebalance(snapshot(List.of("a", "b", "c"), List.of(busy)), List.of("a", "b", "c"));
        assertThat(some).extracting(ShardMove::getShard).doesNotContain(0, 1);
    }

    @Test
    void drainMovesEverythingOffAndDropsReplicatedToAllCopies() {
        var dim = spec("dim", 1, 0).toBuilder().setReplicatedToAll(true).build();
        TablePlacement d = TablePlacement.newBuilder().setSpec(dim).addShards(shard(0, "a", "b", "c")).build();
        TablePlacement t = TablePlacement.newBuilder().setSpec(spec("t", 2, 2)).addShards(shard(0, "a", "b")).addShards(shard(1, "a", "c")).build();
        List<ShardMove> moves = PlacementPlanner.planDrain(snapshot(List.of("a", "b", "c", "d"), List.of(d, t)), "a", List.of("b", "c", "d"));
        assertThat(moves).containsExactly(
                ShardMove.newBuilder().setTable("dim").setShard(0).setFromNode("a").build(),
                ShardMove.newBuilder().setTable("t").setShard(0).setFromNode("a").setToNode("d").build(),
                ShardMove.newBuilder().setTable("t").setShard(1).setFromNode("a").setToNode("d").build()); // d: fewest in all
        assertThatThrownBy(() -> PlacementPlanner.planDrain(snapshot(ABC, List.of(t)), "a", List.of("b")))
                .isInstanceOf(PlacementException.class).hasMessage(
                        "cannot drain node a: shard t/0 already has a replica on every other node that can take shards");
    }

    @Test
    void aTablePlacedLikeAnotherSharesItsLiveReplicasNodesShardByShard() {
        TablePlacement src = TablePlacement.newBuilder().setSpec(spec("src", 3, 2))
                .addShards(shard(0, "c", "a"))
                .addShards(ShardPlacement.newBuilder().setShard(1)
                        .addReplicas(Replica.newBuilder().setNodeId("b").setState(ReplicaState.LIVE))
                        .addReplicas(Replica.newBuilder().setNodeId("a").setState(ReplicaState.STALE)))
                .addShards(shard(2, "b", "c")).build();
        ClusterSnapshot snap = snapshot(List.of("a", "b", "c", "d"), List.of(src));
        List<ShardPlacement> p = PlacementPlanner.placeLike(spec("copy", 3, 2), snap, List.of("a", "b", "c", "d"), src);
        assertThat(p).extracting(s -> s.getReplicasList().stream().map(Replica::getNodeId).toList())
                // shard 1's STALE replica on a is not followed: its second replica goes where placement puts it
                .containsExactly(List.of("c", "a"), List.of("b", "d"), List.of("b", "c"));
        // one replica of each: the first LIVE one
        assertThat(PlacementPlanner.placeLike(spec("one", 3, 1), snap, List.of("a", "b", "c", "d"), src))
                .extracting(s -> s.getReplicas(0).getNodeId()).containsExactly("c", "b", "b");
        // another shard count: placed as usual
        assertThat(PlacementPlanner.placeLike(spec("other", 2, 2), snap, List.of("a", "b", "c", "d"), src))
                .isEqualTo(PlacementPlanner.placeTable(spec("other", 2, 2), snap, List.of("a", "b", "c", "d")));
        // a node that may not take shards (draining) is not followed
        assertThat(PlacementPlanner.placeLike(spec("copy", 3, 2), snap, List.of("a", "b", "d"), src).get(0).getReplicasList())
                .extracting(Replica::getNodeId).containsExactly("a", "d");
    }

    static ShardPlacement shard(int s, String... nodes) {
        ShardPlacement.Builder b = ShardPlacement.newBuilder().setShard(s);
        for (String n : nodes) {
            b.addReplicas(Replica.newBuilder().setNodeId(n).setState(ReplicaState.LIVE));
        }
        return b.build();
    }
}
