package io.rayforce.cluster.coordinator.placement;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardMove;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Pure placement decisions: where a new table's shards go, where a lost replica is re-created,
 * what a rebalance or a drain moves. No I/O; every decision is a function of a
 * {@link ClusterSnapshot} and the nodes that may take replicas.
 *
 * <p>The rules: never two replicas of a shard on one node; a table's replicas spread evenly
 * (per node counts of one table differ by at most one); among equals, the node with the fewest
 * replicas of all tables, then the smallest id. Replicas in state DROPPING do not count.
 */
public final class PlacementPlanner {
    private PlacementPlanner() {
    }

    /**
     * The nodes that may take new replicas: members that are not draining and whose engine is
     * up, by id.
     */
    public static List<String> eligibleNodes(ClusterSnapshot snap) {
        List<String> out = new ArrayList<>();
        for (NodeInfo n : snap.nodes().values()) {
            if (!n.getDraining() && n.getEngineUp()) {
                out.add(n.getId());
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /**
     * The nodes in {@code now} that are not in {@code before}: nodes that started taking shards
     * (joined, were undrained, their engine came up), in {@code now}'s order.
     */
    public static List<String> newlyEligible(Set<String> before, List<String> now) {
        return now.stream().filter(n -> !before.contains(n)).toList();
    }

    /**
     * Places every shard of a new table: {@code replication_factor} distinct nodes per shard, or
     * (for a table replicated to all) shard 0 on every eligible node. Replicas are LIVE.
     *
     * @throws PlacementException when there are fewer eligible nodes than the replication factor
     */
    public static List<ShardPlacement> placeTable(TableSpec spec, ClusterSnapshot snap, List<String> eligible) {
        List<ShardPlacement> out = new ArrayList<>();
        if (spec.getReplicatedToAll()) {
            if (eligible.isEmpty()) {
                throw new PlacementException("no node can take shards (members that are not draining and whose engine is up)");
            }
            ShardPlacement.Builder s = ShardPlacement.newBuilder().setShard(0);
            eligible.stream().sorted().forEach(n -> s.addReplicas(live(n)));
            out.add(s.build());
            return out;
        }
        int rf = spec.getReplicationFactor();
        if (rf > eligible.size()) {
            throw new PlacementException("replication factor " + rf + " exceeds the " + eligible.size()
                    + " nodes that can take shards" + (eligible.isEmpty() ? "" : " (" + String.join(", ", eligible) + ")"));
        }
        Map<String, Integer> global = globalLoad(snap);
        Map<String, Integer> table = new HashMap<>();
        for (int shard = 0; shard < spec.getShardCount(); shard++) {
            ShardPlacement.Builder s = ShardPlacement.newBuilder().setShard(shard);
            Set<String> taken = new LinkedHashSet<>();
            for (int r = 0; r < rf; r++) {
                String n = best(eligible, taken, table, global).orElseThrow();
                taken.add(n);
                table.merge(n, 1, Integer::sum);
                global.merge(n, 1, Integer::sum);
                s.addReplicas(live(n));
            }
            out.add(s.build());
        }
        return out;
    }

    /**
     * Places a new table beside {@code like}: shard i's replicas go first to the eligible nodes
     * holding LIVE replicas of {@code like}'s shard i (in their order), then, for what is left,
     * where {@link #placeTable} would put them. When the shard counts differ, or the table is
     * replicated to every node, as {@link #placeTable}.
     */
    public static List<ShardPlacement> placeLike(TableSpec spec, ClusterSnapshot snap, List<String> eligible,
            TablePlacement like) {
        if (like == null || spec.getReplicatedToAll() || like.getSpec().getReplicatedToAll()
                || like.getSpec().getShardCount() != spec.getShardCount()) {
            return placeTable(spec, snap, eligible);
        }
        int rf = spec.getReplicationFactor();
        if (rf > eligible.size()) {
            return placeTable(spec, snap, eligible); // refuses with the usual message
        }
        Map<String, Integer> global = globalLoad(snap);
        Map<String, Integer> table = new HashMap<>();
        List<ShardPlacement> out = new ArrayList<>();
        for (int shard = 0; shard < spec.getShardCount(); shard++) {
            ShardPlacement.Builder s = ShardPlacement.newBuilder().setShard(shard);
            Set<String> taken = new LinkedHashSet<>();
            for (Replica r : like.getShards(shard).getReplicasList()) {
                if (taken.size() < rf && r.getState() == ReplicaState.LIVE && eligible.contains(r.getNodeId())) {
                    taken.add(r.getNodeId());
                }
            }
            while (taken.size() < rf) {
                taken.add(best(eligible, taken, table, global).orElseThrow());
            }
            for (String n : taken) {
                table.merge(n, 1, Integer::sum);
                global.merge(n, 1, Integer::sum);
                s.addReplicas(live(n));
            }
            out.add(s.build());
        }
        return out;
    }

    /**
     * The node that should receive a new replica of a shard (to repair a lost one): an eligible
     * node not holding the shard, with the fewest replicas of the table, then of all tables.
     */
    public static Optional<String> repairTarget(ClusterSnapshot snap, String table, int shard, List<String> eligible) {
        TablePlacement t = snap.table(table).orElseThrow(() -> new PlacementException("no table " + table));
        return best(eligible, holders(t.getShards(shard)), tableLoad(t), globalLoad(snap));
    }

    /**
     * Moves that make every table's replicas even across the eligible nodes (per node counts
     * differ by at most one), then the nodes' totals even, touching only shards whose replicas
     * are all LIVE. A move is carried out as "add the new replica, then drop the old one", so no
     * shard ever has fewer live replicas than before. Each shard appears in as few moves as its
     * net change needs.
     */
    public static List<ShardMove> planRebalance(ClusterSnapshot snap, List<String> eligible) {
        Model m = new Model(snap, eligible);
        for (String table : m.tables()) {
            int guard = 100_000;
            while (guard-- > 0 && m.balanceTableOnce(table)) {
                // keep moving
            }
        }
        int guard = 1_000_000;
        while (guard-- > 0 && m.balanceGlobalOnce()) {
            // keep moving
        }
        return m.moves();
    }

    /**
     * Moves every replica off {@code nodeId} onto eligible nodes (which exclude it). Replicas of
     * tables replicated to all nodes are only dropped: the move's {@code to_node} is empty.
     *
     * @throws PlacementException naming a shard that has nowhere to go
     */
    public static List<ShardMove> planDrain(ClusterSnapshot snap, String nodeId, List<String> eligible) {
        List<String> targets = eligible.stream().filter(n -> !n.equals(nodeId)).sorted().toList();
        Map<String, Integer> global = globalLoad(snap);
        List<ShardMove> out = new ArrayList<>();
        for (TablePlacement t : new TreeMap<>(snap.tables()).values()) {
            Map<String, Integer> table = tableLoad(t);
            for (ShardPlacement s : t.getShardsList()) {
                Set<String> holders = holders(s);
                if (!holders.contains(nodeId)) {
                    continue;
                }
                ShardMove.Builder move = ShardMove.newBuilder().setTable(t.getSpec().getName()).setShard(s.getShard()).setFromNode(nodeId);
                if (!t.getSpec().getReplicatedToAll()) {
                    String to = best(targets, holders, table, global).orElseThrow(() -> new PlacementException(
                            "cannot drain node " + nodeId + ": shard " + t.getSpec().getName() + "/" + s.getShard()
                                    + " already has a replica on every other node that can take shards"));
                    table.merge(to, 1, Integer::sum);
                    global.merge(to, 1, Integer::sum);
                    move.setToNode(to);
                }
                out.add(move.build());
            }
        }
        return out;
    }

    /**
     * The replica of a shard with more replicas than its table's replication factor to retire:
     * the LIVE one on the node with the most replicas of the table, then of all tables, then the
     * largest id (only LIVE replicas are left when the reconciler asks).
     */
    public static String retireVictim(ClusterSnapshot snap, TablePlacement t, ShardPlacement s) {
        Map<String, Integer> table = tableLoad(t);
        Map<String, Integer> global = globalLoad(snap);
        return s.getReplicasList().stream().filter(r -> r.getState() != ReplicaState.DROPPING).map(Replica::getNodeId)
                .max(Comparator.<String>comparingInt(n -> table.getOrDefault(n, 0))
                        .thenComparingInt(n -> global.getOrDefault(n, 0)).thenComparing(Comparator.naturalOrder()))
                .orElseThrow();
    }

    /**
     * The placement of a table split into {@code newShardCount} shards (a larger multiple of its
     * shard count): every new shard placed as a new table's would be ({@link #placeTable}), with
     * its replicas STALE until the reshard swaps them in.
     *
     * @throws PlacementException when the count is not a larger multiple, or too few nodes can take shards
     */
    public static TablePlacement placeSplit(TablePlacement t, int newShardCount, ClusterSnapshot snap, List<String> eligible) {
        TableSpec spec = t.getSpec();
        int n = spec.getShardCount();
        if (spec.getReplicatedToAll()) {
            throw new PlacementException("table " + spec.getName() + " is replicated to every node: it has no shards to split");
        }
        if (newShardCount <= n || newShardCount % n != 0) {
            throw new PlacementException("table " + spec.getName() + " has " + n + " shards: a reshard needs a larger multiple of "
                    + n + ", not " + newShardCount);
        }
        TableSpec next = spec.toBuilder().setShardCount(newShardCount).build();
        List<ShardPlacement> shards = new ArrayList<>();
        for (ShardPlacement s : placeTable(next, snap, eligible)) {
            ShardPlacement.Builder b = s.toBuilder();
            b.getReplicasBuilderList().forEach(r -> r.setState(ReplicaState.STALE));
            shards.add(b.build());
        }
        return TablePlacement.newBuilder().setSpec(next).addAllShards(shards).build();
    }

    /** Replicas per node over all tables (DROPPING replicas excluded). */
    public static Map<String, Integer> globalLoad(ClusterSnapshot snap) {
        Map<String, Integer> load = new HashMap<>();
        for (TablePlacement t : snap.tables().values()) {
            tableLoad(t).forEach((n, c) -> load.merge(n, c, Integer::sum));
        }
        return load;
    }

    /** Replicas per node of one table (DROPPING replicas excluded). */
    public static Map<String, Integer> tableLoad(TablePlacement t) {
        Map<String, Integer> load = new HashMap<>();
        for (ShardPlacement s : t.getShardsList()) {
            for (Replica r : s.getReplicasList()) {
                if (r.getState() != ReplicaState.DROPPING) {
                    load.merge(r.getNodeId(), 1, Integer::sum);
                }
            }
        }
        return load;
    }

    /** The nodes holding a replica of the shard in any state but DROPPING. */
    public static Set<String> holders(ShardPlacement s) {
        Set<String> out = new TreeSet<>();
        for (Replica r : s.getReplicasList()) {
            if (r.getState() != ReplicaState.DROPPING) {
                out.add(r.getNodeId());
            }
        }
        return out;
    }

    private static Optional<String> best(List<String> candidates, Set<String> exclude, Map<String, Integer> table,
            Map<String, Integer> global) {
        return candidates.stream().filter(n -> !exclude.contains(n))
                .min(Comparator.<String>comparingInt(n -> table.getOrDefault(n, 0))
                        .thenComparingInt(n -> global.getOrDefault(n, 0))
                        .thenComparing(Comparator.naturalOrder()));
    }

    private static Replica live(String node) {
        return Replica.newBuilder().setNodeId(node).setState(ReplicaState.LIVE).build();
    }

    /** A mutable copy of the placement that rebalance planning moves replicas around in. */
    private static final class Model {
        private final List<String> eligible;
        private final Map<String, List<Set<String>>> original = new TreeMap<>();
        private final Map<String, List<Set<String>>> current = new TreeMap<>();
        private final Map<String, List<Boolean>> movable = new TreeMap<>();
        private final Map<String, Map<String, Integer>> tableCounts = new HashMap<>();
        private final Map<String, Integer> global = new HashMap<>();

        Model(ClusterSnapshot snap, List<String> eligible) {
            this.eligible = eligible.stream().sorted().toList();
            for (TablePlacement t : snap.tables().values()) {
                if (t.getSpec().getReplicatedToAll()) {
                    continue;
                }
                String name = t.getSpec().getName();
                List<Set<String>> orig = new ArrayList<>();
                List<Set<String>> cur = new ArrayList<>();
                List<Boolean> mov = new ArrayList<>();
                Map<String, Integer> counts = new HashMap<>();
                for (ShardPlacement s : t.getShardsList()) {
                    Set<String> h = holders(s);
                    orig.add(h);
                    cur.add(new TreeSet<>(h));
                    mov.add(s.getReplicasList().stream().allMatch(r -> r.getState() == ReplicaState.LIVE));
                    for (String n : h) {
                        counts.merge(n, 1, Integer::sum);
                    }
                }
                original.put(name, orig);
                current.put(name, cur);
                movable.put(name, mov);
                tableCounts.put(name, counts);
            }
            globalLoad(snap).forEach(global::put);
        }

        Set<String> tables() {
            return current.keySet();
        }

        private int count(String table, String node) {
            return tableCounts.get(table).getOrDefault(node, 0);
        }

        /** Makes one move that narrows the table's spread, if the spread exceeds one. */
        boolean balanceTableOnce(String table) {
            List<String> byCountDesc = new ArrayList<>(eligible);
            byCountDesc.sort(Comparator.<String>comparingInt(n -> -count(table, n))
                    .thenComparingInt(n -> -global.getOrDefault(n, 0)).thenComparing(Comparator.naturalOrder()));
            List<String> byCountAsc = new ArrayList<>(eligible);
            byCountAsc.sort(Comparator.<String>comparingInt(n -> count(table, n))
                    .thenComparingInt(n -> global.getOrDefault(n, 0)).thenComparing(Comparator.naturalOrder()));
            for (String from : byCountDesc) {
                for (String to : byCountAsc) {
                    if (count(table, from) - count(table, to) < 2) {
                        break;
                    }
                    if (tryMove(table, from, to)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Makes one move that narrows the spread of the nodes' totals without unbalancing a table. */
        boolean balanceGlobalOnce() {
            List<String> desc = new ArrayList<>(eligible);
            desc.sort(Comparator.<String>comparingInt(n -> -global.getOrDefault(n, 0)).thenComparing(Comparator.naturalOrder()));
            List<String> asc = new ArrayList<>(eligible);
            asc.sort(Comparator.<String>comparingInt(n -> global.getOrDefault(n, 0)).thenComparing(Comparator.naturalOrder()));
            for (String from : desc) {
                for (String to : asc) {
                    if (global.getOrDefault(from, 0) - global.getOrDefault(to, 0) < 2) {
                        break;
                    }
                    for (String table : current.keySet()) {
                        if (count(table, from) > count(table, to) && tryMove(table, from, to)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        private boolean tryMove(String table, String from, String to) {
            List<Set<String>> shards = current.get(table);
            for (int s = 0; s < shards.size(); s++) {
                Set<String> h = shards.get(s);
                if (movable.get(table).get(s) && h.contains(from) && !h.contains(to)) {
                    h.remove(from);
                    h.add(to);
                    tableCounts.get(table).merge(from, -1, Integer::sum);
                    tableCounts.get(table).merge(to, 1, Integer::sum);
                    global.merge(from, -1, Integer::sum);
                    global.merge(to, 1, Integer::sum);
                    return true;
                }
            }
            return false;
        }

        /** The net moves: per shard, each node it left paired with a node it gained. */
        List<ShardMove> moves() {
            List<ShardMove> out = new ArrayList<>();
            for (Map.Entry<String, List<Set<String>>> e : current.entrySet()) {
                List<Set<String>> orig = original.get(e.getKey());
                for (int s = 0; s < e.getValue().size(); s++) {
                    Set<String> before = orig.get(s);
                    Set<String> after = e.getValue().get(s);
                    List<String> gone = before.stream().filter(n -> !after.contains(n)).sorted().toList();
                    List<String> gained = after.stream().filter(n -> !before.contains(n)).sorted().toList();
                    for (int i = 0; i < gone.size(); i++) {
                        out.add(ShardMove.newBuilder().setTable(e.getKey()).setShard(s).setFromNode(gone.get(i)).setToNode(gained.get(i)).build());
                    }
                }
            }
            return out;
        }
    }
}
