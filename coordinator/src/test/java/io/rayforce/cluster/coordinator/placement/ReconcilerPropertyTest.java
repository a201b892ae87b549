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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the reconciler's decisions on random clusters: members, draining nodes, nodes
 * whose engine is down and nodes that left; tables (some replicated to all) whose replicas are in
 * every state, on members and on nodes that left; grace clocks of every age; shards with a task
 * running or backing off.
 */
class ReconcilerPropertyTest {
    private static final int NODES = 6;
    private static final long GRACE = Duration.ofSeconds(1).toNanos();
    private static final long NOW = 1_000_000_000_000L;
    private static final List<ReplicaState> STATES = List.of(ReplicaState.LIVE, ReplicaState.COPYING, ReplicaState.STALE,
            ReplicaState.DOWN, ReplicaState.DROPPING);
    private static final Set<ReplicaState> NEEDS_REPAIR_ON_A_MEMBER = Set.of(ReplicaState.STALE, ReplicaState.COPYING, ReplicaState.DOWN);

    private final Reconciler reconciler = new Reconciler(Duration.ofNanos(GRACE));

    enum NodeKind { GONE, MEMBER, DRAINING, ENGINE_DOWN }

    /** A table: replicated to all (one shard) or not; per shard, its replicas as {node index, state index}. */
    record RawTable(boolean toAll, List<List<int[]>> shards) {
    }

    /** A random table's replication factor: the most replicas (not DROPPING) a shard of it has, at least 1. */
    static int replication(RawTable raw) {
        int rf = 1;
        for (List<int[]> shard : raw.shards()) {
            Set<Integer> nodes = new HashSet<>();
            shard.stream().filter(r -> STATES.get(r[1]) != ReplicaState.DROPPING).forEach(r -> nodes.add(r[0]));
            rf = Math.max(rf, nodes.size());
        }
        return rf;
    }

    record Raw(List<NodeKind> nodes, List<RawTable> tables) {
        ClusterSnapshot snapshot() {
            ClusterState.Builder b = ClusterState.newBuilder().setEpoch(7);
            for (int i = 0; i < nodes.size(); i++) {
                NodeKind k = nodes.get(i);
                if (k != NodeKind.GONE) {
                    b.addNodes(NodeInfo.newBuilder().setId(node(i)).setEngineUp(k != NodeKind.ENGINE_DOWN).setDraining(k == NodeKind.DRAINING));
                }
            }
            for (int t = 0; t < tables.size(); t++) {
                RawTable raw = tables.get(t);
                TablePlacement.Builder tb = TablePlacement.newBuilder()
                        .setSpec(spec("t" + t, raw.shards().size(), replication(raw)).toBuilder().setReplicatedToAll(raw.toAll()));
                for (int s = 0; s < raw.shards().size(); s++) {
                    ShardPlacement.Builder sb = ShardPlacement.newBuilder().setShard(s);
                    for (int[] r : raw.shards().get(s)) {
                        sb.addReplicas(Replica.newBuilder().setNodeId(node(r[0])).setState(STATES.get(r[1])));
                    }
                    tb.addShards(sb);
                }
                b.addTables(tb);
            }
            return new ClusterSnapshot(b.build());
        }
    }

    /** One pass's inputs. */
    record Scenario(ClusterSnapshot snap, Map<DownReplica, Long> downSince, Set<ShardRef> running, Map<ShardRef, Long> retryAt) {
        Decision decide(Reconciler reconciler) {
            return reconciler.decide(snap, downSince, running, retryAt, NOW);
        }

        boolean left(ShardRef ref) {
            return running.contains(ref) || retryAt.getOrDefault(ref, Long.MIN_VALUE) > NOW;
        }
    }

    static String node(int i) {
        return "n" + (i + 1);
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<List<int[]>> replicas = Combinators.combine(Arbitraries.integers().between(0, NODES - 1),
                Arbitraries.integers().between(0, STATES.size() - 1)).as((n, st) -> new int[] {n, st})
                .list().ofMaxSize(4).uniqueElements(r -> r[0]);
        Arbitrary<RawTable> table = Arbitraries.integers().between(0, 3).flatMap(k -> k == 0
                ? replicas.list().ofSize(1).map(s -> new RawTable(true, s))
                : replicas.list().ofMinSize(1).ofMaxSize(5).map(s -> new RawTable(false, s)));
        Arbitrary<Raw> raws = Combinators.combine(Arbitraries.of(NodeKind.class).list().ofSize(NODES), table.list().ofMaxSize(3)).as(Raw::new);
        return raws.flatMap(raw -> {
            ClusterSnapshot snap = raw.snapshot();
            List<ShardRef> shards = shards(snap);
            List<DownReplica> down = downReplicas(snap);
            // per shard: 0 free, 1 running, 2 backing off, 3 a backoff that is over
            Arbitrary<List<Integer>> status = Arbitraries.integers().between(0, 3).list().ofSize(shards.size());
            // per DOWN replica of a node that left: -1 not seen before, else for how long it has been seen
            Arbitrary<List<Long>> ages = Arbitraries.longs().between(-1, 2 * GRACE).list().ofSize(down.size());
            return Combinators.combine(status, ages).as((st, age) -> {
                Set<ShardRef> running = new HashSet<>();
                Map<ShardRef, Long> retryAt = new HashMap<>();
                for (int i = 0; i < shards.size(); i++) {
                    switch (st.get(i)) {
                        case 1 -> running.add(shards.get(i));
                        case 2 -> retryAt.put(shards.get(i), NOW + 1 + i);
                        case 3 -> retryAt.put(shards.get(i), NOW - 1 - i);
                        default -> {
                        }
                    }
                }
                Map<DownReplica, Long> downSince = new HashMap<>();
                for (int i = 0; i < down.size(); i++) {
                    if (age.get(i) >= 0) {
                        downSince.put(down.get(i), NOW - age.get(i));
                    }
                }
                downSince.put(new DownReplica(new ShardRef("gone", 0), "n1"), NOW - 5); // a clock whose replica is gone
                return new Scenario(snap, downSince, running, retryAt);
            });
        });
    }

    @Property(tries = 500)
    void atMostOneDecisionPerShardAndNoneForShardsLeftAlone(@ForAll("scenarios") Scenario sc) {
        Decision d = sc.decide(reconciler);
        List<ShardRef> decided = new ArrayList<>();
        d.actions().forEach(a -> decided.add(a.shard()));
        d.stuck().forEach(s -> decided.add(s.shard()));
        assertThat(decided).doesNotHaveDuplicates().noneMatch(sc::left);
        assertThat(decided).allMatch(ref -> shards(sc.snap()).contains(ref));
    }

    @Property(tries = 500)
    void everyActionIsAboutAReplicaInTheStateItHandles(@ForAll("scenarios") Scenario sc) {
        ClusterSnapshot snap = sc.snap();
        for (Action a : sc.decide(reconciler).actions()) {
            TablePlacement t = snap.table(a.shard().table()).orElseThrow();
            boolean toAll = t.getSpec().getReplicatedToAll();
            ReplicaState state = a.node() == null ? null : PlacementEdits.state(t, a.shard().shard(), a.node());
            NodeInfo holder = a.node() == null ? null : snap.nodes().get(a.node());
            switch (a.kind()) {
                case DROP -> assertThat(state == ReplicaState.DROPPING && holder != null).as("%s", a).isTrue();
                case REMOVE_DROPPING -> assertThat(state == ReplicaState.DROPPING && holder == null).as("%s", a).isTrue();
                case REFILL -> assertThat(NEEDS_REPAIR_ON_A_MEMBER.contains(state) && holder != null).as("%s", a).isTrue();
                case REPAIR, REMOVE_DOWN -> {
                    assertThat(state == ReplicaState.DOWN && holder == null).as("%s", a).isTrue();
                    assertThat(toAll).as("%s", a).isEqualTo(a.kind() == Kind.REMOVE_DOWN);
                    long seen = sc.downSince().getOrDefault(new DownReplica(a.shard(), a.node()), NOW);
                    assertThat(NOW - seen).as("the grace of %s has passed", a).isGreaterThanOrEqualTo(GRACE);
                }
                case DRAIN_MOVE, RETIRE -> {
                    assertThat(holder != null && holder.getDraining()).as("%s", a).isTrue();
                    assertThat(toAll).as("%s", a).isEqualTo(a.kind() == Kind.RETIRE);
                }
                case REPLICATE -> assertThat(a.node() == null && (toAll
                        || PlacementPlanner.holders(t.getShards(a.shard().shard())).size() < t.getSpec().getReplicationFactor()))
                        .as("%s", a).isTrue();
                default -> throw new AssertionError("unknown kind " + a);
            }
        }
    }

    @Property(tries = 500)
    void aNewReplicaGoesToAnEligibleNodeThatHoldsNoneOfTheShard(@ForAll("scenarios") Scenario sc) {
        ClusterSnapshot snap = sc.snap();
        List<String> eligible = PlacementPlanner.eligibleNodes(snap);
        for (Action a : sc.decide(reconciler).actions()) {
            if (a.target() == null) {
                assertThat(a.kind()).isNotIn(Kind.REPAIR, Kind.DRAIN_MOVE, Kind.REPLICATE);
                continue;
            }
            ShardPlacement s = snap.shard(a.shard().table(), a.shard().shard());
            assertThat(eligible).as("%s", a).contains(a.target());
            assertThat(PlacementPlanner.holders(s)).as("%s", a).doesNotContain(a.target());
        }
    }

    @Property(tries = 500)
    void aShardThatNeedsWorkGetsItOrAWakeUpNoLaterThanItsGraceEnds(@ForAll("scenarios") Scenario sc) {
        ClusterSnapshot snap = sc.snap();
        Decision d = sc.decide(reconciler);
        Set<ShardRef> decided = new HashSet<>();
        d.actions().forEach(a -> decided.add(a.shard()));
        d.stuck().stream().map(Stuck::shard).forEach(decided::add);
        List<String> eligible = PlacementPlanner.eligibleNodes(snap);
        for (TablePlacement t : snap.tables().values()) {
            for (ShardPlacement s : t.getShardsList()) {
                ShardRef ref = new ShardRef(t.getSpec().getName(), s.getShard());
                if (sc.left(ref) || decided.contains(ref) || !needsWork(snap, t, s, eligible)) {
                    continue;
                }
                // only a DOWN replica of a node that left, still in its grace, holds a shard back
                long due = s.getReplicasList().stream()
                        .filter(r -> r.getState() == ReplicaState.DOWN && snap.node(r.getNodeId()).isEmpty())
                        .mapToLong(r -> sc.downSince().getOrDefault(new DownReplica(ref, r.getNodeId()), NOW) + GRACE)
                        .filter(at -> at > NOW).max().orElseThrow(() -> new AssertionError(ref + " needs work and got none"));
                assertThat(d.wakeAt()).as("%s", ref).isPresent();
                assertThat(d.wakeAt().getAsLong()).as("%s", ref).isLessThanOrEqualTo(due);
            }
        }
        d.wakeAt().ifPresent(at -> assertThat(at).isGreaterThan(NOW));
        sc.retryAt().forEach((ref, at) -> {
            if (at > NOW && !sc.running().contains(ref)) {
                assertThat(d.wakeAt()).isPresent();
                assertThat(d.wakeAt().getAsLong()).isLessThanOrEqualTo(at);
            }
        });
    }

    @Property(tries = 500)
    void graceClocksRunForExactlyTheDownReplicasOfNodesThatLeft(@ForAll("scenarios") Scenario sc) {
        Map<DownReplica, Long> next = sc.decide(reconciler).downSince();
        assertThat(next.keySet()).containsExactlyInAnyOrderElementsOf(downReplicas(sc.snap()));
        next.forEach((k, since) -> assertThat(since).isEqualTo(sc.downSince().getOrDefault(k, NOW)));
    }

    @Property(tries = 500)
    void lostReplicasBecomeDownAndNothingElseChanges(@ForAll("scenarios") Scenario sc) {
        ClusterSnapshot snap = sc.snap();
        List<TablePlacement> changed = Reconciler.lostReplicasDown(snap);
        assertThat(changed.isEmpty()).isEqualTo(!Reconciler.hasLostReplicas(snap));
        ClusterState.Builder after = snap.state().toBuilder();
        for (TablePlacement t : changed) {
            TablePlacement before = snap.table(t.getSpec().getName()).orElseThrow();
            assertThat(t.getSpec()).isEqualTo(before.getSpec());
            assertThat(t.getShardsCount()).isEqualTo(before.getShardsCount());
            for (int s = 0; s < t.getShardsCount(); s++) {
                List<Replica> was = before.getShards(s).getReplicasList();
                List<Replica> now = t.getShards(s).getReplicasList();
                assertThat(now).extracting(Replica::getNodeId).containsExactlyElementsOf(was.stream().map(Replica::getNodeId).toList());
                for (int r = 0; r < now.size(); r++) {
                    boolean lost = snap.node(was.get(r).getNodeId()).isEmpty()
                            && Set.of(ReplicaState.LIVE, ReplicaState.COPYING, ReplicaState.STALE).contains(was.get(r).getState());
                    assertThat(now.get(r).getState()).isEqualTo(lost ? ReplicaState.DOWN : was.get(r).getState());
                }
            }
            for (int i = 0; i < after.getTablesCount(); i++) {
                if (after.getTables(i).getSpec().getName().equals(t.getSpec().getName())) {
                    after.setTables(i, t);
                }
            }
        }
        assertThat(Reconciler.hasLostReplicas(new ClusterSnapshot(after.build()))).isFalse();
    }

    @Property(tries = 200)
    void theSameInputsGiveTheSameDecision(@ForAll("scenarios") Scenario sc) {
        assertThat(sc.decide(reconciler)).isEqualTo(sc.decide(reconciler));
    }

    // -----------------------------------------------------------------------------------------

    /** Whether the rules give the shard something to do (ignoring graces and backoffs). */
    static boolean needsWork(ClusterSnapshot snap, TablePlacement t, ShardPlacement s, List<String> eligible) {
        for (Replica r : s.getReplicasList()) {
            NodeInfo holder = snap.nodes().get(r.getNodeId());
            if (r.getState() == ReplicaState.DROPPING
                    || (holder != null && (NEEDS_REPAIR_ON_A_MEMBER.contains(r.getState()) || holder.getDraining()))
                    || (holder == null && r.getState() == ReplicaState.DOWN)) {
                return true;
            }
        }
        return t.getSpec().getReplicatedToAll() && !PlacementPlanner.holders(s).containsAll(eligible);
    }

    static List<ShardRef> shards(ClusterSnapshot snap) {
        List<ShardRef> out = new ArrayList<>();
        snap.tables().values().forEach(t -> t.getShardsList().forEach(s -> out.add(new ShardRef(t.getSpec().getName(), s.getShard()))));
        return out;
    }

    static List<DownReplica> downReplicas(ClusterSnapshot snap) {
        List<DownReplica> out = new ArrayList<>();
        for (TablePlacement t : snap.tables().values()) {
            for (ShardPlacement s : t.getShardsList()) {
                for (Replica r : s.getReplicasList()) {
                    if (r.getState() == ReplicaState.DOWN && snap.node(r.getNodeId()).isEmpty()) {
                        out.add(new DownReplica(new ShardRef(t.getSpec().getName(), s.getShard()), r.getNodeId()));
                    }
                }
            }
        }
        return out;
    }
}
