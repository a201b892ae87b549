package io.rayforce.cluster.coordinator.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ClusterState;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardMove;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of placement decisions on random clusters: tables placed on some nodes, then more
 * nodes join.
 */
class PlacementPlannerPropertyTest {

    /** A cluster: tables (shards, replication) placed on the first {@code initial} of {@code nodes} nodes. */
    record Scenario(int nodes, int initial, List<int[]> tables) {
        List<String> all() {
            return IntStream.rangeClosed(1, nodes).mapToObj(i -> String.format("n%02d", i)).toList();
        }

        ClusterSnapshot placed() {
            ClusterSnapshot snap = snapshot(all(), List.of());
            List<String> first = all().subList(0, initial);
            for (int i = 0; i < tables.size(); i++) {
                int[] t = tables.get(i);
                TableSpec spec = spec("t" + i, t[0], Math.min(t[1], initial));
                List<ShardPlacement> shards = PlacementPlanner.placeTable(spec, snap, first);
                List<TablePlacement> ts = new ArrayList<>(snap.state().getTablesList());
                ts.add(TablePlacement.newBuilder().setSpec(spec).addAllShards(shards).build());
                snap = snapshot(all(), ts);
            }
            return snap;
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Integer> nodes = Arbitraries.integers().between(1, 10);
        Arbitrary<List<int[]>> tables = Combinators.combine(Arbitraries.integers().between(1, 40), Arbitraries.integers().between(1, 3))
                .as((s, r) -> new int[] {s, r}).list().ofMaxSize(5);
        return nodes.flatMap(n -> Combinators.combine(Arbitraries.integers().between(1, n), tables)
                .as((initial, ts) -> new Scenario(n, initial, ts)));
    }

    @Property(tries = 300)
    void aNewTableIsEvenAndNeverHasTwoReplicasOfAShardOnANode(@ForAll("scenarios") Scenario sc,
            @ForAll @IntRange(min = 1, max = 64) int shards, @ForAll @IntRange(min = 1, max = 3) int rf) {
        ClusterSnapshot snap = sc.placed();
        List<String> eligible = sc.all();
        int replication = Math.min(rf, eligible.size());
        List<ShardPlacement> placed = PlacementPlanner.placeTable(spec("new", shards, replication), snap, eligible);

        assertThat(placed).hasSize(shards);
        Map<String, Integer> counts = new HashMap<>();
        for (ShardPlacement s : placed) {
            List<String> nodes = s.getReplicasList().stream().map(Replica::getNodeId).toList();
            assertThat(nodes).hasSize(replication).doesNotHaveDuplicates().allMatch(eligible::contains);
            assertThat(s.getReplicasList()).allMatch(r -> r.getState() == ReplicaState.LIVE);
            nodes.forEach(n -> counts.merge(n, 1, Integer::sum));
        }
        assertThat(spread(eligible, counts)).as("per-node replicas of the new table").isLessThanOrEqualTo(1);
    }

    @Property(tries = 300)
    void onAnEmptyClusterEveryNodeCarriesTheSameLoadWithinOne(@ForAll @IntRange(min = 1, max = 12) int nodes,
            @ForAll @IntRange(min = 1, max = 100) int shards, @ForAll @IntRange(min = 1, max = 3) int rf) {
        Scenario sc = new Scenario(nodes, nodes, List.of(new int[] {shards, rf}));
        ClusterSnapshot snap = sc.placed();
        assertThat(spread(sc.all(), PlacementPlanner.globalLoad(snap))).isLessThanOrEqualTo(1);
    }

    @Property(tries = 300)
    void rebalanceNeverReducesLiveReplicasAndEndsEven(@ForAll("scenarios") Scenario sc) {
        ClusterSnapshot snap = sc.placed();
        List<String> eligible = sc.all();
        List<ShardMove> moves = PlacementPlanner.planRebalance(snap, eligible);

        Map<String, List<Set<String>>> state = holders(snap);
        Map<String, List<Integer>> minimum = new HashMap<>();
        state.forEach((t, shards) -> minimum.put(t, shards.stream().map(Set::size).toList()));
        for (ShardMove m : moves) {
            Set<String> h = state.get(m.getTable()).get(m.getShard());
            assertThat(h).as("move %s", m).contains(m.getFromNode()).doesNotContain(m.getToNode());
            assertThat(eligible).contains(m.getToNode());
            h.add(m.getToNode()); // the new replica first ...
            assertThat(h.size()).isGreaterThan(minimum.get(m.getTable()).get(m.getShard()));
            h.remove(m.getFromNode()); // ... then the old one goes
            assertThat(h.size()).isEqualTo(minimum.get(m.getTable()).get(m.getShard()));
        }
        for (Map.Entry<String, List<Set<String>>> t : state.entrySet()) {
            Map<String, Integer> counts = new HashMap<>();
            t.getValue().forEach(h -> h.forEach(n -> counts.merge(n, 1, Integer::sum)));
            assertThat(spread(eligible, counts)).as("table %s after rebalance", t.getKey()).isLessThanOrEqualTo(1);
        }
        Map<String, Integer> total = new HashMap<>();
        state.values().forEach(ts -> ts.forEach(h -> h.forEach(n -> total.merge(n, 1, Integer::sum))));
        assertThat(spread(eligible, total)).as("nodes' totals after rebalance").isLessThanOrEqualTo(1);

        // a second rebalance has nothing to do
        assertThat(PlacementPlanner.planRebalance(apply(snap, moves), eligible)).isEmpty();
    }

    @Property(tries = 300)
    void drainEmptiesTheNodeAndKeepsEveryShardWhole(@ForAll("scenarios") Scenario sc, @ForAll @IntRange(min = 0, max = 9) int pick) {
        ClusterSnapshot snap = sc.placed();
        String drained = sc.all().get(pick % sc.nodes());
        List<String> eligible = sc.all().stream().filter(n -> !n.equals(drained)).toList();
        List<ShardMove> moves;
        try {
            moves = PlacementPlanner.planDrain(snap, drained, eligible);
        } catch (PlacementException e) {
            // only when some shard of the drained node already sits on every other node
            assertThat(e).hasMessageContaining("cannot drain node " + drained);
            boolean full = holders(snap).values().stream().flatMap(Collection::stream)
                    .anyMatch(h -> h.contains(drained) && h.size() > eligible.size());
            assertThat(full).isTrue();
            return;
        }
        Map<String, List<Set<String>>> before = holders(snap);
        Map<String, List<Set<String>>> after = holders(apply(snap, moves));
        for (String t : before.keySet()) {
            for (int s = 0; s < before.get(t).size(); s++) {
                assertThat(after.get(t).get(s)).doesNotContain(drained).hasSameSizeAs(before.get(t).get(s));
            }
        }
    }

    // -----------------------------------------------------------------------------------------

    static TableSpec spec(String name, int shards, int rf) {
        return TableSpec.newBuilder().setName(name).setShardKey("k").setShardCount(shards).setReplicationFactor(rf).build();
    }

    static ClusterSnapshot snapshot(List<String> nodes, List<TablePlacement> tables) {
        ClusterState.Builder b = ClusterState.newBuilder().addAllTables(tables);
        nodes.forEach(n -> b.addNodes(NodeInfo.newBuilder().setId(n).setEngineUp(true)));
        return new ClusterSnapshot(b.build());
    }

    static int spread(List<String> nodes, Map<String, Integer> counts) {
        IntSummaryStatistics st = nodes.stream().mapToInt(n -> counts.getOrDefault(n, 0)).summaryStatistics();
        return st.getMax() - st.getMin();
    }

    static Map<String, List<Set<String>>> holders(ClusterSnapshot snap) {
        Map<String, List<Set<String>>> out = new HashMap<>();
        for (TablePlacement t : snap.tables().values()) {
            List<Set<String>> shards = new ArrayList<>();
            t.getShardsList().forEach(s -> shards.add(new TreeSet<>(PlacementPlanner.holders(s))));
            out.put(t.getSpec().getName(), shards);
        }
        return out;
    }

    /** The snapshot with the moves carried out (a move with no target only drops). */
    static ClusterSnapshot apply(ClusterSnapshot snap, List<ShardMove> moves) {
        ClusterState.Builder b = snap.state().toBuilder();
        for (ShardMove m : moves) {
            for (TablePlacement.Builder t : b.getTablesBuilderList()) {
                if (t.getSpec().getName().equals(m.getTable())) {
                    ShardPlacement.Builder s = t.getShardsBuilder(m.getShard());
                    List<Replica> rs = new ArrayList<>(s.getReplicasList());
                    rs.removeIf(r -> r.getNodeId().equals(m.getFromNode()));
                    if (!m.getToNode().isEmpty()) {
                        rs.add(Replica.newBuilder().setNodeId(m.getToNode()).setState(ReplicaState.LIVE).build());
                    }
                    s.clearReplicas().addAllReplicas(rs);
                }
            }
        }
        return new ClusterSnapshot(b.build());
    }
}
