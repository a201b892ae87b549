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
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.exec.ReplicaChoice;
import io.rayforce.cluster.router.plan.Broadcast;
import io.rayforce.cluster.router.plan.Hidden;
import io.rayforce.cluster.router.plan.JoinOrder;
import io.rayforce.cluster.router.plan.MergeSorted;
import io.rayforce.cluster.router.plan.Plan;
import io.rayforce.cluster.router.plan.Project;
import io.rayforce.cluster.router.plan.Route;
import io.rayforce.cluster.router.plan.ShippedRoute;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans key joins and window joins shard by shard of the left side: co-located when both sides
 * are sharded on a join key with the same shard count and each shard pair shares a node; against
 * the local copy of a right side replicated to every node; or with the right side shipped to
 * every shard. Returns null (the scratch engine then runs the join) for what none of these cover:
 * a left side that is not one sharded cluster table, or a full join that would need its
 * unmatched right rows once across shards.
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
    }

    Plan plan(Join j, ClusterSnapshot snapshot) {
        List<String> eqKeys = j.kind() == JoinKind.ASOF ? j.keys().subList(0, j.keys().size() - 1) : j.keys();
        return plan(j.kind().name().toLowerCase(), j.kind() == JoinKind.FULL, eqKeys, j.left(), j.right(), snapshot,
                (left, right) -> RayList.of(Name.of(j.kind().function()), SymbolVector.of(j.keys()), left, right), true);
    }

    Plan plan(WindowJoin w, ClusterSnapshot snapshot) {
        List<String> eqKeys = w.keys().subList(0, w.keys().size() - 1);
        RayValue leftTree = w.left().ipc();
        RayValue aggregations = ((RayList) w.ipc()).get(5);
        return plan(w.onlyInside() ? "window-join1" : "window-join", false, eqKeys, w.left(), w.right(), snapshot,
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
                      ClusterSnapshot snapshot, JoinBuilder join, boolean rightSeq) {
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
        if (full) {
            return null;
        }
        // ship the right side to every shard of the left
        List<String> rightCols = rightColumns(right);
        Plan rightRows = new MergeSorted(new Route(rs.getName(), ShardPruning.shards(right.where(), rs),
                u -> right.select(u.global(), ClusterNaming.SEQ_COLUMN), "right side rows"), List.of(), -1,
                Schemas.emptyTable(rs, rightCols));
        Plan shippedRoute = new ShippedRoute(new Broadcast(new Project(rightRows, rightCols), rs.getName()),
                shipped -> new Route(ls.getName(), shards, u -> join.build(left.select(u.global(), Hidden.LEFT_SEQ), shipped),
                        "(" + kind + " <shard rows> <shipped right side>)"), "(" + kind + " <shard rows> <shipped right side>)");
        return new JoinOrder(shippedRoute, kind + ", right side " + rs.getName() + " shipped", empty);
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
                if (names.contains(c) || (s == right && keys.contains(c))) {
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
