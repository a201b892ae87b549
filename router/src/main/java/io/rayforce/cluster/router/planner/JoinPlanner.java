package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Join;
import io.rayforce.cluster.client.query.JoinKind;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.query.SelectQuery;
import io.rayforce.cluster.client.query.Source;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.client.query.WindowJoin;
import io.rayforce.cluster.client.rayfall.TreeWalk;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.exec.ReplicaChoice;
import io.rayforce.cluster.router.plan.Broadcast;
import io.rayforce.cluster.router.plan.DropTemporaries;
import io.rayforce.cluster.router.plan.Hidden;
import io.rayforce.cluster.router.plan.JoinOrder;
import io.rayforce.cluster.router.plan.MergeSorted;
import io.rayforce.cluster.router.plan.PartitionRoute;
import io.rayforce.cluster.router.plan.Plan;
import io.rayforce.cluster.router.plan.Project;
import io.rayforce.cluster.router.plan.Repartition;
import io.rayforce.cluster.router.plan.Route;
import io.rayforce.cluster.router.plan.ShippedRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plans key joins and window joins where the data is: co-located when both sides are sharded on
 * a join key with the same shard count and each shard pair shares a node; against the local copy
 * of a right side replicated to every node; otherwise, sized from the sides' shard counts
 * ({@link TableSizes}), the way that moves the fewest bytes ({@link JoinStrategy}): the right side
 * shipped to every left shard, or a shuffle (one side repartitioned to the other table's shards,
 * or both across the nodes, each partition joined on its node; temporaries dropped whatever
 * happens). Returns null (the scratch engine then runs the join) for what none of these cover: a
 * left side that is not one sharded cluster table, or a full join with no key to shuffle by.
 */
final class JoinPlanner {

    /** One side of a join: a cluster table, optionally filtered and projected row by row. */
    private record Side(TablePlacement table, List<Named> projections, Expr where) {
        TableSpec spec() {
            return table.getSpec();
        }

        /** The side's rows on one shard global, with its row sequence as {@code seqName}. */
        RayValue select(String global, String seqName) {
            List<Named> proj = new ArrayList<>();
            if (projections.isEmpty()) {
                Schemas.columnNames(spec()).forEach(c -> proj.add(Column.of(c).named()));
            } else {
                proj.addAll(projections);
            }
            proj.add(new Named(seqName, Column.of(ClusterNaming.SEQ_COLUMN)));
            return new SelectQuery(Table.of(global), proj, where, List.of(), List.of(), null).ipc();
        }

        /** As {@link #select}, among rows {@code [start, start + n)} of the shard global only (a chunk of a shuffle). */
        RayValue chunk(String global, String seqName, long start, long n) {
            return Repartition.slice(select(global, seqName), global, start, n);
        }
    }

    Plan plan(Join j, ClusterSnapshot snapshot) {
        return plan(j, snapshot, TableSizes.UNKNOWN);
    }

    Plan plan(Join j, ClusterSnapshot snapshot, TableSizes sizes) {
        List<String> eqKeys = j.kind() == JoinKind.ASOF ? j.keys().subList(0, j.keys().size() - 1) : j.keys();
        return plan(j.kind().name().toLowerCase(), j.kind() == JoinKind.FULL, eqKeys, j.left(), j.right(), snapshot, sizes,
                (left, right) -> RayList.of(Name.of(j.kind().function()), SymbolVector.of(j.keys()), left, right), true);
    }

    Plan plan(WindowJoin w, ClusterSnapshot snapshot) {
        return plan(w, snapshot, TableSizes.UNKNOWN);
    }

    Plan plan(WindowJoin w, ClusterSnapshot snapshot, TableSizes sizes) {
        List<String> eqKeys = w.keys().subList(0, w.keys().size() - 1);
        RayValue leftTree = w.left().ipc();
        RayValue aggregations = ((RayList) w.ipc()).get(5);
        return plan(w.onlyInside() ? "window-join1" : "window-join", false, eqKeys, w.left(), w.right(), snapshot, sizes,
                (left, right) -> RayList.of(Name.of(w.onlyInside() ? "window-join1" : "window-join"), SymbolVector.of(w.keys()),
                        replace(w.intervals().ipc(), leftTree, left), left, right,
                        aggregations), false);
    }

    /** How a per-shard join is built from its left and right trees. */
    @FunctionalInterface
    private interface JoinBuilder {
        RayValue build(RayValue left, RayValue right);
    }

    private Plan plan(String kind, boolean full, List<String> eqKeys, Source leftSource, Source rightSource,
                      ClusterSnapshot snapshot, TableSizes sizes, JoinBuilder join, boolean rightSeq) {
        Side left = side(leftSource, snapshot);
        Side right = side(rightSource, snapshot);
        if (left == null || right == null || left.spec().getReplicatedToAll()) {
            return null;
        }
        TableSpec ls = left.spec();
        TableSpec rs = right.spec();
        int[] shards = ShardPruning.shards(left.where(), ls);
        String rightSeqName = rightSeq ? Hidden.RIGHT_SEQ : "__unused";
        RayTable empty = emptyJoin(left, right, eqKeys);
        if (rs.getReplicatedToAll() && !full) {
            return colocated(kind, left, shards, join, u -> right.select(ClusterNaming.shardGlobal(rs.getName(), 0), rightSeqName),
                    rs.getName(), "with the local copy of " + rs.getName(), empty);
        }
        boolean copartitioned = !rs.getReplicatedToAll() && ls.getShardKey().equals(rs.getShardKey())
                && eqKeys.contains(ls.getShardKey()) && ls.getShardCount() == rs.getShardCount()
                && keptUnchanged(left, ls.getShardKey()) && keptUnchanged(right, rs.getShardKey());
        if (copartitioned && everyPairShares(snapshot, ls.getName(), rs.getName(), shards)) {
            return colocated(kind, left, shards, join,
                    u -> right.select(ClusterNaming.shardGlobal(rs.getName(), u.shard()), rightSeqName), rs.getName(),
                    "co-located with " + rs.getName(), empty);
        }
        Shuffles shuffles = new Shuffles(left, right, eqKeys, snapshot);
        int[] allLeft = ShardPruning.shards(null, ls);
        JoinStrategy strategy = JoinStrategy.choose(new JoinStrategy.Options(full, shards.length,
                bytes(sizes, left, shards), rs.getReplicatedToAll() ? -1 : bytes(sizes, right, ShardPruning.shards(right.where(), rs)),
                sizes.memoryBudget(), shuffles.toLeft() != null, shuffles.toRight() != null, shuffles.acrossNodes() != null));
        if (strategy == null) {
            return null;
        }
        String part = "j" + Integer.toString(SHUFFLES.incrementAndGet() & 0xfffff, 36);
        return switch (strategy) {
            case BROADCAST -> broadcast(kind, left, right, shards, join, empty);
            case SHUFFLE_RIGHT -> {
                // the right side's rows go to the left table's shards (by its shard function), each beside a replica of its shard
                List<NodeInfo> nodes = shuffles.toLeft();
                Repartition r = repartition(right, rightSeqName, ls.getShardKey(), nodes, part + "r", "right side " + rs.getName());
                int[] run = full ? allLeft : shards;
                Plan route = new ShippedRoute(r, placement -> new Route(ls.getName(), run,
                        u -> join.build(left.select(u.global(), Hidden.LEFT_SEQ),
                                Name.of(Repartition.temporaries(placement).get(u.shard()))),
                        "(" + kind + " <shard rows> <its partition of the right side>)").on(onNode(nodes)),
                        "(" + kind + " <shard rows> <its partition of the right side>)");
                yield new JoinOrder(new DropTemporaries(route, List.of(r)), kind + ", shuffled: right side " + rs.getName()
                        + " repartitioned by " + ls.getShardKey() + " to the " + ls.getShardCount() + " shards of " + ls.getName(), empty);
            }
            case SHUFFLE_LEFT -> {
                List<NodeInfo> nodes = shuffles.toRight();
                Repartition l = repartition(left, Hidden.LEFT_SEQ, rs.getShardKey(), nodes, part + "l", "left side " + ls.getName());
                Plan route = new ShippedRoute(l, placement -> new Route(rs.getName(), ShardPruning.shards(null, rs),
                        u -> join.build(Name.of(Repartition.temporaries(placement).get(u.shard())),
                                right.select(u.global(), rightSeqName)),
                        "(" + kind + " <its partition of the left side> <shard rows>)").on(onNode(nodes)),
                        "(" + kind + " <its partition of the left side> <shard rows>)");
                yield new JoinOrder(new DropTemporaries(route, List.of(l)), kind + ", shuffled: left side " + ls.getName()
                        + " repartitioned by " + rs.getShardKey() + " to the " + rs.getShardCount() + " shards of " + rs.getName(), empty);
            }
            case SHUFFLE_BOTH -> {
                List<NodeInfo> nodes = shuffles.acrossNodes();
                String key = shuffles.commonKey();
                Repartition l = repartition(left, Hidden.LEFT_SEQ, key, nodes, part + "l", "left side " + ls.getName());
                Repartition r = repartition(right, rightSeqName, key, nodes, part + "r", "right side " + rs.getName());
                Plan route = new PartitionRoute(List.of(l, r), temps -> join.build(Name.of(temps.get(0)), Name.of(temps.get(1))),
                        "(" + kind + " <left partition> <right partition>)", false);
                yield new JoinOrder(new DropTemporaries(route, List.of(l, r)), kind + ", shuffled: both sides repartitioned by "
                        + key + " across " + nodes.size() + " nodes", empty);
            }
        };
    }

    /** Names the temporaries of each shuffle apart within a query. */
    private static final java.util.concurrent.atomic.AtomicInteger SHUFFLES = new java.util.concurrent.atomic.AtomicInteger();

    /** The right side shipped to every shard of the left (refused past the broadcast limit). */
    private static Plan broadcast(String kind, Side left, Side right, int[] shards, JoinBuilder join, RayTable empty) {
        TableSpec ls = left.spec();
        TableSpec rs = right.spec();
        List<String> rightCols = rightColumns(right);
        Plan rightRows = new MergeSorted(new Route(rs.getName(), ShardPruning.shards(right.where(), rs),
                u -> right.select(u.global(), ClusterNaming.SEQ_COLUMN), "right side rows"), List.of(), -1,
                Schemas.emptyTable(rs, rightCols));
        Plan shippedRoute = new ShippedRoute(new Broadcast(new Project(rightRows, rightCols), rs.getName()),
                shipped -> new Route(ls.getName(), shards, u -> join.build(left.select(u.global(), Hidden.LEFT_SEQ), shipped),
                        "(" + kind + " <shard rows> <shipped right side>)"), "(" + kind + " <shard rows> <shipped right side>)");
        return new JoinOrder(shippedRoute, kind + ", right side " + rs.getName() + " shipped", empty);
    }

    /** A side's rows repartitioned by {@code key} onto {@code nodes}, its sequence as {@code seqName} (the right side's sorted by it). */
    private static Repartition repartition(Side s, String seqName, String key, List<NodeInfo> nodes, String part, String what) {
        int width = 8;
        for (String c : rightColumns(s)) {
            width += Schemas.wireBytes(s.projections().isEmpty() ? Schemas.columnType(s.spec(), c) : typeOf(s, c));
        }
        long firstRows = Math.max(1, (64 << 10) / width);
        return new Repartition(what, s.spec().getName(), ShardPruning.shards(s.where(), s.spec()),
                (u, start, n) -> s.chunk(u.global(), seqName, start, n), key, nodes, part,
                seqName.equals(Hidden.LEFT_SEQ) ? null : seqName, 0, firstRows);
    }

    /** Units run only on the node of their shard's partition. */
    private static ReplicaChoice onNode(List<NodeInfo> nodes) {
        return (snapshot, unit) -> {
            NodeInfo n = nodes.get(unit.shard());
            return snapshot.liveReplicas(unit.table(), unit.shard()).stream().filter(r -> r.getId().equals(n.getId())).toList();
        };
    }

    /** About how many bytes a side's rows take on the wire ({@code -1}: unknown). */
    private static long bytes(TableSizes sizes, Side s, int[] shards) {
        long rows = sizes.rows(s.table(), shards);
        if (rows < 0) {
            return -1;
        }
        int width = 8;
        for (String c : rightColumns(s)) {
            width += Schemas.wireBytes(s.projections().isEmpty() ? Schemas.columnType(s.spec(), c) : typeOf(s, c));
        }
        return rows * width;
    }

    /** The stored type of a side's output column when it is a stored column, else null. */
    private static String typeOf(Side s, String name) {
        for (Named p : s.projections()) {
            if (p.name().equals(name) && p.expr() instanceof Column c) {
                return Schemas.columnType(s.spec(), c.name());
            }
        }
        return null;
    }

    /**
     * Where a shuffle of the two sides can put its partitions, or null where it cannot: a side's
     * rows go by a join key that both sides have as a stored column of one type (so equal values
     * hash alike), to the other table's shards when it is sharded on that key, or across the nodes.
     */
    private static final class Shuffles {
        private final Side left;
        private final Side right;
        private final List<String> eqKeys;
        private final ClusterSnapshot snapshot;

        Shuffles(Side left, Side right, List<String> eqKeys, ClusterSnapshot snapshot) {
            this.left = left;
            this.right = right;
            this.eqKeys = eqKeys;
            this.snapshot = snapshot;
        }

        /** The type of join key {@code k} on both sides when it is one stored column type on both, else null. */
        private String commonType(String k) {
            if (!eqKeys.contains(k)) {
                return null;
            }
            String lt = left.projections().isEmpty() ? Schemas.columnType(left.spec(), k) : typeOf(left, k);
            String rt = right.projections().isEmpty() ? Schemas.columnType(right.spec(), k) : typeOf(right, k);
            return lt != null && lt.equals(rt) && !lt.equals("list") ? lt : null;
        }

        /** Nodes for the right side's partitions when it can go to the left table's shards: one LIVE replica of each. */
        List<NodeInfo> toLeft() {
            return toShardsOf(left, right);
        }

        List<NodeInfo> toRight() {
            return right.spec().getReplicatedToAll() ? null : toShardsOf(right, left);
        }

        private List<NodeInfo> toShardsOf(Side target, Side moved) {
            String key = target.spec().getShardKey();
            if (key.isEmpty() || !keptUnchanged(target, key) || commonType(key) == null
                    || !key.equals(storedName(target, key)) || !Schemas.columnType(target.spec(), key).equals(commonType(key))) {
                return null;
            }
            Map<String, Integer> load = new java.util.HashMap<>();
            List<NodeInfo> out = new ArrayList<>();
            for (int s = 0; s < target.spec().getShardCount(); s++) {
                NodeInfo best = null;
                for (NodeInfo n : snapshot.liveReplicas(target.spec().getName(), s)) {
                    if (best == null || load.getOrDefault(n.getId(), 0) < load.getOrDefault(best.getId(), 0)) {
                        best = n;
                    }
                }
                if (best == null) {
                    return null; // a shard no replica serves: the query reports it; no shuffle to it
                }
                load.merge(best.getId(), 1, Integer::sum);
                out.add(best);
            }
            return out;
        }

        /** The first join key both sides have as one stored column type, or null. */
        String commonKey() {
            for (String k : eqKeys) {
                if (commonType(k) != null) {
                    return k;
                }
            }
            return null;
        }

        /** Every node whose engine is up, by id, when the sides share a key to partition by. */
        List<NodeInfo> acrossNodes() {
            if (commonKey() == null || right.spec().getReplicatedToAll()) {
                return null;
            }
            List<NodeInfo> nodes = snapshot.nodes().values().stream().filter(NodeInfo::getEngineUp)
                    .sorted(java.util.Comparator.comparing(NodeInfo::getId)).toList();
            return nodes.isEmpty() ? null : nodes;
        }

        private static String storedName(Side s, String name) {
            if (s.projections().isEmpty()) {
                return name;
            }
            for (Named p : s.projections()) {
                if (p.name().equals(name) && p.expr() instanceof Column c) {
                    return c.name();
                }
            }
            return null;
        }
    }

    private Plan colocated(String kind, Side left, int[] shards, JoinBuilder join, Route.UnitRequest rightFor,
                           String companion, String how, RayTable empty) {
        Route route = new Route(left.spec().getName(), shards,
                u -> join.build(left.select(u.global(), Hidden.LEFT_SEQ), rightFor.of(u)),
                "(" + kind + " <shard rows> <" + how + ">)").on(ReplicaChoice.alsoHolding(companion));
        return new JoinOrder(route, kind + ", " + how, empty);
    }

    /**
     * The join's answer with no rows, for when no shard of its left side answered: the left
     * side's columns, then the right side's that are not join keys, typed as their tables'.
     */
    private static RayTable emptyJoin(Side left, Side right, List<String> keys) {
        List<String> names = new ArrayList<>();
        List<Vector> cols = new ArrayList<>();
        for (Side s : List.of(left, right)) {
            List<String> sideCols = rightColumns(s);
            sideCols.remove(ClusterNaming.SEQ_COLUMN);
            for (String c : sideCols) {
                if (s == right && keys.contains(c)) { // a non-key column both sides have appears twice, as on one server
                    continue;
                }
                names.add(c);
                cols.add(Schemas.emptyTable(s.spec(), List.of(c)).column(0));
            }
        }
        return RayTable.of(names, cols);
    }

    /** The side as a cluster table with row-wise filters and projections, or null. */
    private static Side side(Source s, ClusterSnapshot snapshot) {
        if (s instanceof Table t) {
            return snapshot.table(t.name()).map(tp -> new Side(tp, List.of(), null)).orElse(null);
        }
        if (s instanceof SelectQuery q && q.from() instanceof Table t && q.by().isEmpty() && q.order().isEmpty()
                && q.take() == null && (q.where() == null || RowWise.is(q.where()))
                && q.projections().stream().allMatch(p -> RowWise.is(p.expr()) && !Hidden.is(p.name()))) {
            return snapshot.table(t.name()).map(tp -> new Side(tp, q.projections(), q.where())).orElse(null);
        }
        return null;
    }

    /** The side's columns when fetched whole: its projections (or the table's columns), then {@code __seq}. */
    private static List<String> rightColumns(Side s) {
        List<String> cols = new ArrayList<>();
        if (s.projections().isEmpty()) {
            cols.addAll(Schemas.columnNames(s.spec()));
        } else {
            s.projections().forEach(p -> cols.add(p.name()));
        }
        cols.add(ClusterNaming.SEQ_COLUMN);
        return cols;
    }

    /** True when the side's rows still carry the shard key as it is stored. */
    private static boolean keptUnchanged(Side s, String key) {
        return s.projections().isEmpty() || s.projections().stream()
                .anyMatch(p -> p.name().equals(key) && p.expr() instanceof Column c && c.name().equals(key));
    }

    private static boolean everyPairShares(ClusterSnapshot snapshot, String left, String right, int[] shards) {
        for (int s : shards) {
            int shard = s;
            boolean shared = snapshot.liveReplicas(left, s).stream()
                    .anyMatch(n -> ReplicaChoice.holds(snapshot, right, shard, n.getId()));
            if (!shared) {
                return false;
            }
        }
        return true;
    }

    /** {@code tree} with every occurrence of {@code target} replaced by {@code with}. */
    static RayValue replace(RayValue tree, RayValue target, RayValue with) {
        return TreeWalk.rewrite(tree, v -> v.equals(target) ? with : v);
    }
}
