package io.rayforce.cluster.coordinator.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.placement.Reconciler.Action;
import io.rayforce.cluster.coordinator.placement.Reconciler.Decision;
import io.rayforce.cluster.coordinator.placement.Reconciler.Kind;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the pure parts of replication factor changes and reshards: the reconciler's
 * decisions bring every shard to its table's factor one replica at a time without ever going
 * below the smaller of the old and new count, and a split's placement is complete and even.
 */
class ReplicationAndSplitPropertyTest {
    private static final long NOW = 1_000_000_000_000L;
    private final Reconciler reconciler = new Reconciler(Duration.ofSeconds(30));

    @Property(tries = 300)
    void shardsConvergeToTheReplicationFactorWithoutLosingLiveReplicas(@ForAll @IntRange(min = 2, max = 7) int nodes,
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 7) Integer> counts, @ForAll @IntRange(min = 1, max = 7) int rf) {
        int factor = Math.min(rf, nodes);
        TablePlacement t = table(counts.stream().map(c -> Math.min(c, nodes)).toList(), nodes, factor);
        for (int step = 0; step < 20; step++) {
            ClusterSnapshot snap = snapshot(nodes, t);
            Decision d = reconciler.decide(snap, Map.of(), Set.of(), Map.of(), NOW);
            assertThat(d.stuck()).isEmpty(); // factor <= nodes: a node is always free
            if (d.actions().isEmpty()) {
                break;
            }
            TablePlacement.Builder next = t.toBuilder();
            for (Action a : d.actions()) {
                ShardPlacement s = t.getShards(a.shard().shard());
                int before = s.getReplicasCount();
                ShardPlacement.Builder sb = next.getShardsBuilder(a.shard().shard());
                if (a.kind() == Kind.REPLICATE) {
                    assertThat(before).isLessThan(factor);
                    assertThat(PlacementPlanner.holders(s)).doesNotContain(a.target());
                    sb.addReplicas(Replica.newBuilder().setNodeId(a.target()).setState(ReplicaState.LIVE));
                } else {
                    assertThat(a.kind()).isEqualTo(Kind.RETIRE);
                    assertThat(before).isGreaterThan(factor);
                    assertThat(PlacementEdits.state(t, a.shard().shard(), a.node())).isEqualTo(ReplicaState.LIVE);
                    sb.clearReplicas();
                    s.getReplicasList().stream().filter(r -> !r.getNodeId().equals(a.node())).forEach(sb::addReplicas);
                }
                // one replica per pass: never below min(before, factor) LIVE
                assertThat(sb.getReplicasCount()).isGreaterThanOrEqualTo(Math.min(before, factor));
            }
            t = next.build();
        }
        assertThat(t.getShardsList()).allSatisfy(s -> assertThat(s.getReplicasCount()).isEqualTo(factor));
    }

    @Property(tries = 300)
    void aSplitPlacesEveryNewShardOnDistinctNodesEvenlyAndStale(@ForAll @IntRange(min = 1, max = 6) int shards,
            @ForAll @IntRange(min = 2, max = 4) int multiple, @ForAll @IntRange(min = 1, max = 3) int rf,
            @ForAll @IntRange(min = 3, max = 7) int nodes) {
        TablePlacement old = table(java.util.Collections.nCopies(shards, rf), nodes, rf);
        ClusterSnapshot snap = snapshot(nodes, old);
        TablePlacement next = PlacementPlanner.placeSplit(old, shards * multiple, snap, PlacementPlanner.eligibleNodes(snap));
        assertThat(next.getSpec().getShardCount()).isEqualTo(shards * multiple);
        assertThat(next.getShardsCount()).isEqualTo(shards * multiple);
        Map<String, Integer> perNode = new HashMap<>();
        for (int i = 0; i < next.getShardsCount(); i++) {
            ShardPlacement s = next.getShards(i);
            assertThat(s.getShard()).isEqualTo(i);
            assertThat(PlacementPlanner.holders(s)).hasSize(rf);
            assertThat(s.getReplicasList()).allMatch(r -> r.getState() == ReplicaState.STALE);
            s.getReplicasList().forEach(r -> perNode.merge(r.getNodeId(), 1, Integer::sum));
        }
        int total = shards * multiple * rf;
        assertThat(perNode.values()).allMatch(c -> c >= total / nodes && c <= total / nodes + 1);
        if (shards > 1) {
            assertThatThrownBy(() -> PlacementPlanner.placeSplit(old, shards * multiple + 1, snap, PlacementPlanner.eligibleNodes(snap)))
                    .isInstanceOf(PlacementException.class).hasMessageContaining("larger multiple");
        }
        assertThatThrownBy(() -> PlacementPlanner.placeSplit(old, shards, snap, PlacementPlanner.eligibleNodes(snap)))
                .isInstanceOf(PlacementException.class);
    }

    /** Shard i has counts[i] LIVE replicas on consecutive nodes starting at node i. */
    private static TablePlacement table(List<Integer> counts, int nodes, int rf) {
        TablePlacement.Builder b = TablePlacement.newBuilder().setSpec(PlacementPlannerPropertyTest.spec("t", counts.size(), rf));
        for (int i = 0; i < counts.size(); i++) {
            ShardPlacement.Builder s = ShardPlacement.newBuilder().setShard(i);
            Set<Integer> used = new HashSet<>();
            for (int k = 0; k < counts.get(i); k++) {
                int n = (i + k) % nodes;
                if (used.add(n)) {
                    s.addReplicas(Replica.newBuilder().setNodeId("n" + n).setState(ReplicaState.LIVE));
                }
            }
            b.addShards(s);
        }
        return b.build();
    }

    private static ClusterSnapshot snapshot(int nodes, TablePlacement t) {
        ClusterState.Builder b = ClusterState.newBuilder().setEpoch(3).addTables(t);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            ids.add("n" + i);
        }
        ids.forEach(id -> b.addNodes(NodeInfo.newBuilder().setId(id).setEngineUp(true)));
        return new ClusterSnapshot(b.build());
    }
}
