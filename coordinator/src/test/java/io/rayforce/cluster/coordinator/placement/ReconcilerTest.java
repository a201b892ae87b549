package io.rayforce.cluster.coordinator.placement;

import static io.rayforce.cluster.coordinator.placement.PlacementPlannerPropertyTest.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.placement.Reconciler.Action;
import io.rayforce.cluster.coordinator.placement.Reconciler.Decision;
import io.rayforce.cluster.coordinator.placement.Reconciler.DownReplica;
import io.rayforce.cluster.coordinator.placement.Reconciler.Kind;
import io.rayforce.cluster.coordinator.placement.Reconciler.Stuck;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
    private static final long GRACE = Duration.ofSeconds(30).toNanos();
    private static final long NOW = 5_000_000_000_000L;
    private static final ShardRef T0 = new ShardRef("t", 0);

    private final Reconciler reconciler = new Reconciler(Duration.ofNanos(GRACE));

    @Test
    void theReplicasOfANodeThatLeftAreLostExceptThoseAlreadyDownOrDropping() {
        ClusterSnapshot snap = snapshot(List.of("a", "b"), table("t", false,
                shard(0, "a", ReplicaState.LIVE, "c", ReplicaState.LIVE),
                shard(1, "a", ReplicaState.LIVE, "c", ReplicaState.STALE),
                shard(2, "c", ReplicaState.DOWN, "d", ReplicaState.DROPPING)));
        assertThat(Reconciler.hasLostReplicas(snap)).isTrue();
        List<TablePlacement> changed = Reconciler.lostReplicasDown(snap);
        assertThat(changed).hasSize(1);
        assertThat(changed.get(0).getShardsList()).extracting(s -> s.getReplicasList().stream().map(Replica::getState).toList())
                .containsExactly(List.of(ReplicaState.LIVE, ReplicaState.DOWN), List.of(ReplicaState.LIVE, ReplicaState.DOWN),
                        List.of(ReplicaState.DOWN, ReplicaState.DROPPING));

        ClusterSnapshot settled = snapshot(List.of("a", "b"), changed.get(0));
        assertThat(Reconciler.hasLostReplicas(settled)).isFalse();
        assertThat(Reconciler.lostReplicasDown(settled)).isEmpty();
    }

    @Test
    void aDownReplicaWaitsOutTheGraceFromWhenItWasFirstSeenThenIsRepairedElsewhere() {
        ClusterSnapshot snap = snapshot(List.of("a", "b", "c"), table("t", false, shard(0, "a", ReplicaState.LIVE, "x", ReplicaState.DOWN)));
        Decision first = reconciler.decide(snap, Map.of(), Set.of(), Map.of(), NOW);
        assertThat(first.actions()).isEmpty();
        assertThat(first.downSince()).containsExactly(Map.entry(new DownReplica(T0, "x"), NOW));
        assertThat(first.wakeAt()).hasValue(NOW + GRACE);

        Decision early = reconciler.decide(snap, first.downSince(), Set.of(), Map.of(), NOW + GRACE - 1);
        assertThat(early.actions()).isEmpty();
        assertThat(early.downSince()).isEqualTo(first.downSince());

        Decision due = reconciler.decide(snap, first.downSince(), Set.of(), Map.of(), NOW + GRACE);
        assertThat(due.actions()).containsExactly(new Action(Kind.REPAIR, T0, "x", "b"));
        assertThat(due.actions().get(0).what()).isEqualTo("repair");
        assertThat(due.wakeAt()).isEmpty();
    }

    @Test
    void aDownReplicaNoNodeCanReplaceIsStuck() {
        ClusterSnapshot snap = snapshot(List.of("a"), table("t", false, shard(0, "a", ReplicaState.LIVE, "x", ReplicaState.DOWN)));
        Decision d = reconciler.decide(snap, Map.of(new DownReplica(T0, "x"), NOW - GRACE), Set.of(), Map.of(), NOW);
        assertThat(d.actions()).isEmpty();
        assertThat(d.stuck()).containsExactly(new Stuck(T0, "no node can take a new replica of t/0 (lost with x)"));
    }

    @Test
    void replicasThatMissedWritesAreRefilledInPlaceOnceTheirNodeIsAMember() {
        ClusterSnapshot snap = snapshot(List.of("a", "b", "c"), table("t", false,
                shard(0, "a", ReplicaState.LIVE, "b", ReplicaState.STALE),
                shard(1, "a", ReplicaState.LIVE, "c", ReplicaState.DOWN),
                shard(2, "a", ReplicaState.COPYING, "b", ReplicaState.LIVE),
                shard(3, "a", ReplicaState.LIVE, "x", ReplicaState.STALE)));
        Decision d = reconciler.decide(snap, Map.of(), Set.of(), Map.of(), NOW);
        assertThat(d.actions()).containsExactly(new Action(Kind.REFILL, new ShardRef("t", 0), "b", null),
                new Action(Kind.REFILL, new ShardRef("t", 1), "c", null), new Action(Kind.REFILL, new ShardRef("t", 2), "a", null));
    }

    @Test
    void droppingReplicasAreDroppedFromTheirNodeOrJustRemovedWhenItIsGone() {
        ClusterSnapshot snap = snapshot(List.of("a", "b"), table("t", false,
                shard(0, "a", ReplicaState.LIVE, "b", ReplicaState.DROPPING),
                shard(1, "a", ReplicaState.LIVE, "x", ReplicaState.DROPPING)));
        assertThat(reconciler.decide(snap, Map.of(), Set.of(), Map.of(), NOW).actions()).containsExactly(
                new Action(Kind.DROP, new ShardRef("t", 0), "b", null), new Action(Kind.REMOVE_DROPPING, new ShardRef("t", 1), "x", null));
    }

    @Test
    void aDrainingNodeGivesItsReplicasAway() {
        ClusterState.Builder b = snapshot(List.of("a", "b", "c"),
                table("t", false, shard(0, "a", ReplicaState.LIVE, "b", ReplicaState.LIVE)),
                table("dim", true, shard(0, "a", ReplicaState.LIVE, "b", ReplicaState.LIVE, "c", ReplicaState.LIVE))).state().toBuilder();
        b.getNodesBuilder(0).setDraining(true);
        Decision d = reconciler.decide(new ClusterSnapshot(b.build()), Map.of(), Set.of(), Map.of(), NOW);
        assertThat(d.actions()).containsExactly(new Action(Kind.DRAIN_MOVE, T0, "a", "c"), new Action(Kind.RETIRE, new ShardRef("dim", 0), "a", null));
    }

    @Test
    void aTableReplicatedToAllFollowsMembership() {
        ClusterSnapshot snap = snapshot(List.of("a", "b", "c"),
                table("dim", true, shard(0, "a", ReplicaState.LIVE, "b", ReplicaState.LIVE)),
                table("gone", true, shard(0, "a", ReplicaState.LIVE, "x", ReplicaState.DOWN)));
        Decision d = reconciler.decide(snap, Map.of(new DownReplica(new ShardRef("gone", 0), "x"), NOW - GRACE), Set.of(), Map.of(), NOW);
        assertThat(d.actions()).containsExactly(new Action(Kind.REPLICATE, new ShardRef("dim", 0), null, "c"),
                new Action(Kind.REMOVE_DOWN, new ShardRef("gone", 0), "x", null));
        assertThat(d.actions().get(0).what()).isEqualTo("replicate to c");
    }

    @Test
    void shardsWithATaskRunningOrBackingOffAreLeftAloneUntilTheBackoffEnds() {
        ClusterSnapshot snap = snapshot(List.of("a", "b"), table("t", false,
                shard(0, "a", ReplicaState.LIVE, "b", ReplicaState.STALE),
                shard(1, "a", ReplicaState.LIVE, "b", ReplicaState.STALE),
                shard(2, "a", ReplicaState.LIVE, "b", ReplicaState.STALE)));
        ShardRef t1 = new ShardRef("t", 1);
        ShardRef t2 = new ShardRef("t", 2);
        Decision d = reconciler.decide(snap, Map.of(), Set.of(T0), Map.of(t1, NOW + 500, t2, NOW - 1), NOW);
        assertThat(d.actions()).containsExactly(new Action(Kind.REFILL, t2, "b", null));
        assertThat(d.wakeAt()).hasValue(NOW + 500);
    }

    @Test
    void joinedAreTheMembersNotSeenBefore() {
        ClusterSnapshot snap = snapshot(List.of("a", "b", "c"));
        assertThat(Reconciler.joined(snap, Set.of("b", "x"))).containsExactly("a", "c");
        assertThat(Reconciler.joined(snap, Set.of("a", "b", "c"))).isEmpty();
    }

    // -----------------------------------------------------------------------------------------

    static ClusterSnapshot snapshot(List<String> members, TablePlacement... tables) {
        ClusterState.Builder b = ClusterState.newBuilder().addAllTables(List.of(tables));
        members.forEach(n -> b.addNodes(NodeInfo.newBuilder().setId(n).setEngineUp(true)));
        return new ClusterSnapshot(b.build());
    }

    /** A table whose replication factor is the most replicas (not DROPPING) any of its shards has. */
    static TablePlacement table(String name, boolean toAll, ShardPlacement... shards) {
        int rf = Math.max(1, java.util.Arrays.stream(shards).mapToInt(s -> PlacementPlanner.holders(s).size()).max().orElse(1));
        return TablePlacement.newBuilder().setSpec(spec(name, shards.length, rf).toBuilder().setReplicatedToAll(toAll))
                .addAllShards(List.of(shards)).build();
    }

    static TablePlacement withReplication(TablePlacement t, int rf) {
        return t.toBuilder().setSpec(t.getSpec().toBuilder().setReplicationFactor(rf)).build();
    }

    @Test
    void aShardBelowItsReplicationFactorGetsAReplicaOnTheLeastLoadedNodeAndOneAboveRetiresFromTheMostLoaded() {
        TablePlacement t = withReplication(table("t", false,
                shard(0, "a", ReplicaState.LIVE),
                shard(1, "a", ReplicaState.LIVE, "b", ReplicaState.LIVE),
                shard(2, "a", ReplicaState.LIVE, "b", ReplicaState.LIVE, "c", ReplicaState.LIVE)), 2);
        ClusterSnapshot snap = snapshot(List.of("a", "b", "c"), t);
        Decision d = reconciler.decide(snap, Map.of(), Set.of(), Map.of(), NOW);
        // shard 0 gains one on c (fewest of t), shard 2 retires a's (most of t: 3)
        assertThat(d.actions()).containsExactly(new Action(Kind.REPLICATE, T0, null, "c"),
                new Action(Kind.RETIRE, new ShardRef("t", 2), "a", null));

        ClusterSnapshot one = snapshot(List.of("a"), withReplication(table("t", false, shard(0, "a", ReplicaState.LIVE)), 2));
        Decision stuck = reconciler.decide(one, Map.of(), Set.of(), Map.of(), NOW);
        assertThat(stuck.actions()).isEmpty();
        assertThat(stuck.stuck()).extracting(Stuck::shard).containsExactly(T0);
    }

    @Test
    void aDownReplicaOfAShardAboveItsFactorIsRemovedWithoutWaitingForTheGrace() {
        ClusterSnapshot snap = snapshot(List.of("a", "b"), withReplication(table("t", false,
                shard(0, "a", ReplicaState.LIVE, "b", ReplicaState.LIVE, "x", ReplicaState.DOWN)), 2));
        assertThat(reconciler.decide(snap, Map.of(), Set.of(), Map.of(), NOW).actions())
                .containsExactly(new Action(Kind.REMOVE_DOWN, T0, "x", null));
    }

    @Test
    void aReshardsUnswappedReplicaIsFinishedNotRefilledAndOnlyWhileItsShardHasNoLiveReplica() {
        TablePlacement resharded = table("t", false,
                ShardPlacement.newBuilder().setShard(0).addReplicas(Replica.newBuilder().setNodeId("a").setState(ReplicaState.STALE)
                        .setSinceEpoch(9)).addReplicas(Replica.newBuilder().setNodeId("b").setState(ReplicaState.STALE).setSinceEpoch(9)).build(),
                ShardPlacement.newBuilder().setShard(1).addReplicas(Replica.newBuilder().setNodeId("a").setState(ReplicaState.LIVE)
                        .setSinceEpoch(9)).addReplicas(Replica.newBuilder().setNodeId("b").setState(ReplicaState.STALE).setSinceEpoch(9)).build(),
                ShardPlacement.newBuilder().setShard(2).addReplicas(Replica.newBuilder().setNodeId("a").setState(ReplicaState.STALE)
                        .setSinceEpoch(12)).build());
        resharded = resharded.toBuilder().setSpec(resharded.getSpec().toBuilder().setSpecEpoch(9)).build();
        ClusterSnapshot snap = snapshot(List.of("a", "b"), resharded);
        assertThat(reconciler.decide(snap, Map.of(), Set.of(), Map.of(), NOW).actions()).containsExactly(
                new Action(Kind.FINISH_SPLIT, T0, "a", null), // no LIVE replica: swapped in, not copied
                new Action(Kind.REFILL, new ShardRef("t", 1), "b", null), // a LIVE one exists: copied from it
                new Action(Kind.REFILL, new ShardRef("t", 2), "a", null)); // STALE since a later write failure
    }

    /** A shard with replicas given as node, state, node, state, ... */
    static ShardPlacement shard(int shard, Object... nodesAndStates) {
        ShardPlacement.Builder b = ShardPlacement.newBuilder().setShard(shard);
        for (int i = 0; i < nodesAndStates.length; i += 2) {
            b.addReplicas(Replica.newBuilder().setNodeId((String) nodesAndStates[i]).setState((ReplicaState) nodesAndStates[i + 1]));
        }
        return b.build();
    }
}
