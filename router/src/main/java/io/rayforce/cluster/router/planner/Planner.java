package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Join;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.query.OrderKey;
import io.rayforce.cluster.client.query.Queries;
import io.rayforce.cluster.client.query.Query;
import io.rayforce.cluster.client.query.SelectQuery;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.client.query.Take;
import io.rayforce.cluster.client.query.WindowJoin;
import io.rayforce.cluster.client.rayfall.DataPathGate;
import io.rayforce.cluster.client.rayfall.TreeWalk;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.merge.RowOrder;
import io.rayforce.cluster.router.merge.TakeSpec;
import io.rayforce.cluster.router.plan.AggregateCombine;
import io.rayforce.cluster.router.plan.Constant;
import io.rayforce.cluster.router.plan.UnknownName;
import io.rayforce.cluster.router.plan.GroupCombine;
import io.rayforce.cluster.router.plan.Limit;
import io.rayforce.cluster.router.plan.Hidden;
import io.rayforce.cluster.router.plan.MergeSorted;
import io.rayforce.cluster.router.plan.Plan;
import io.rayforce.cluster.router.plan.Project;
import io.rayforce.cluster.router.plan.Route;
import io.rayforce.cluster.router.plan.ScratchEval;
import io.rayforce.cluster.router.plan.Sort;
import io.rayforce.cluster.router.plan.SumCounts;
import io.rayforce.cluster.router.plan.aggregate.Aggregate;
import io.rayforce.cluster.router.plan.aggregate.AggregateRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Turns an expression into a distributed {@link Plan} over a placement snapshot. Selects over a
 * cluster table are split into per-shard selects and a merge; whatever the planner does not
 * distribute runs exactly on the router's scratch engine with the tables it names.
 */
public final class Planner {
    private final JoinPlanner joins = new JoinPlanner();

    public Plan plan(RayValue tree, ClusterSnapshot snapshot) {
        // a bare table name: the whole table in insertion order
        if (tree instanceof Name n && snapshot.table(n.name()).isPresent()) {
            return answer(snapshot.table(n.name()).get());
        }
        // (count t)
        if (tree instanceof RayList l && l.length() == 2 && isName(l.get(0), "count") && l.get(1) instanceof Name t
                && snapshot.table(t.name()).isPresent()) {
            TableSpec spec = snapshot.table(t.name()).get().getSpec();
            return new SumCounts(new Route(spec.getName(), ShardPruning.shards(null, spec),
                    u -> RayList.of(Name.of("count"), Name.of(u.global())), "(count <shard>)"));
        }
        Optional<Query> q = Queries.parse(tree);
        if (q.isPresent() && (q.get() instanceof Join || q.get() instanceof WindowJoin)) {
            Plan p = q.get() instanceof Join j ? joins.plan(j, snapshot) : joins.plan((WindowJoin) q.get(), snapshot);
            if (p != null) {
                return p;
            }
            return scratch(tree, snapshot, "join not distributed");
        }
        if (q.isPresent() && q.get() instanceof SelectQuery s && s.from() instanceof Table t
                && snapshot.table(t.name()).isPresent()) {
            TableSpec spec = snapshot.table(t.name()).get().getSpec();
            String unknown = SelectNames.firstUnknown(s, spec, snapshot);
            if (unknown != null) {
                List<String> cols = Schemas.columnNames(spec);
                return new UnknownName(new ScratchEval(Map.of(t.name(), new Constant(Schemas.emptyTable(spec, cols))), tree,
                        "over an empty " + t.name()), unknown, t.name(), cols);
            }
            Plan p = planSelect(s, snapshot.table(t.name()).get());
            if (p != null) {
                return p;
            }
            return scratch(tree, snapshot, "select shape not distributed");
        }
        return scratch(tree, snapshot, referencedTables(tree, snapshot).isEmpty() ? "no cluster table" : "not distributed");
    }

    /** The whole table, merged by row sequence, as the query's answer (its rows count against the result limits). */
    private static Plan answer(TablePlacement table) {
        return fetch(table, true);
    }

    /** The whole table, merged by row sequence, as the input of another step. */
    public static Plan fetch(TablePlacement table) {
        return fetch(table, false);
    }

    private static Plan fetch(TablePlacement table, boolean answering) {
        TableSpec spec = table.getSpec();
        List<String> cols = Schemas.columnNames(spec);
        List<String> withSeq = new ArrayList<>(cols);
        withSeq.add(Hidden.SEQ);
        Route route = new Route(spec.getName(), ShardPruning.shards(null, spec), u -> Name.of(u.global()), "<shard>");
        return new Project(new MergeSorted(answering ? route.answering() : route, List.of(), -1, Schemas.emptyTable(spec, withSeq)),
                cols);
    }

    private Plan scratch(RayValue tree, ClusterSnapshot snapshot, String reason) {
        Map<String, Plan> inputs = new LinkedHashMap<>();
        for (String t : referencedTables(tree, snapshot)) {
            inputs.put(t, fetch(snapshot.table(t).get()));
        }
        return new ScratchEval(inputs, tree, reason);
    }

    /**
     * Checks a client's expression with the data-path rule before anything of it runs. Cluster
     * tables are names there, whatever the engine calls its builtins: they are read as tables.
     */
    public static void checkExpression(RayValue tree, ClusterSnapshot snapshot) {
        DataPathGate.checkExpression(TreeWalk.rewrite(tree, v -> v instanceof Name n && snapshot.table(n.name()).isPresent()
                ? Name.of(TABLE_PLACEHOLDER) : v));
    }

    /** What a cluster table's name stands in for while a client's tree is checked. */
    private static final String TABLE_PLACEHOLDER = "cluster_table";

    /** Cluster tables named anywhere in the tree (by name or quoted), in order of appearance. */
    public static Set<String> referencedTables(RayValue tree, ClusterSnapshot snapshot) {
        Set<String> out = new LinkedHashSet<>();
        TreeWalk.walk(tree, (v, path) -> {
            String n = v instanceof Name name ? name.name() : v instanceof Symbol s ? s.name() : null;
            if (n != null && snapshot.table(n).isPresent()) {
                out.add(n);
            }
            return true;
        });
        return out;
    }

    /** A distributed plan for a select over a cluster table, or null when its shape is not distributed. */
    Plan planSelect(SelectQuery q, TablePlacement table) {
        TableSpec spec = table.getSpec();
        if (q.where() != null && !RowWise.is(q.where())) {
            return null;
        }
        for (Named n : q.projections()) {
            if (Hidden.is(n.name())) {
                return null;
            }
        }
        int[] shards = ShardPruning.shards(q.where(), spec);
        if (q.by().isEmpty()) {
            if (q.projections().stream().allMatch(p -> RowWise.is(p.expr()))) {
                return rowSelect(q, spec, shards);
            }
            List<Aggregate> aggs = new ArrayList<>();
            for (Named p : q.projections()) {
                Aggregate a = aggregate(p);
                if (a == null) {
                    return null;
                }
                aggs.add(a);
            }
            return q.order().isEmpty() && q.take() == null ? scalarAggregate(q, spec, shards, aggs) : null;
        }
        return groupAggregate(q, spec, shards);
    }

    /** The aggregate a projection computes, when the cluster splits it and its argument is row-wise; else null. */
    private static Aggregate aggregate(Named p) {
        Aggregate a = AggregateRules.recognize(p.name(), p.expr());
        return a != null && RowWise.is(a.argument()) ? a : null;
    }

    private Plan rowSelect(SelectQuery q, TableSpec spec, int[] shards) {
        List<Named> proj = new ArrayList<>();
        List<String> output = new ArrayList<>();
        if (q.projections().isEmpty()) {
            for (String c : Schemas.columnNames(spec)) {
                proj.add(Column.of(c).named());
                output.add(c);
            }
        } else {
            for (Named p : q.projections()) {
                proj.add(p);
                output.add(p.name());
            }
        }
        proj.add(Column.of(Hidden.SEQ).named());
        List<RowOrder.Key> keys = new ArrayList<>();
        RayTable shape = Schemas.emptyTable(spec, proj.stream().map(Named::name).toList());
        List<String> shapeNames = new ArrayList<>(shape.columnNames());
        List<Vector> shapeCols = new ArrayList<>(shape.columns());
        shapeCols.set(shapeNames.indexOf(Hidden.SEQ), Schemas.empty("i64"));
        for (int i = 0; i < q.order().size(); i++) {
            OrderKey k = q.order().get(i);
            String type = Schemas.columnType(spec, k.column());
            if (type == null) {
                return null; // the engine sorts plain selects by source columns only
            }
            String hidden = Hidden.orderKey(i);
            proj.add(new Named(hidden, Column.of(k.column())));
            shapeNames.add(hidden);
            shapeCols.add(Schemas.empty(type));
            keys.add(new RowOrder.Key(hidden, k.direction() == OrderKey.Direction.DESC));
        }
        TakeSpec take = q.take() == null ? null : new TakeSpec(q.take().start(), q.take().count());
        Take shardTake = shardTake(take);
        Route route = new Route(spec.getName(), shards,
                u -> new SelectQuery(Table.of(u.global()), proj, q.where(), List.of(), q.order(), shardTake).ipc(),
                describe(new SelectQuery(Table.of(SHARD), proj, q.where(), List.of(), q.order(), shardTake)));
        // without a take the answer is every row the shards send: count them as they arrive
        long head = take == null ? -1 : take.headNeeded();
        Plan merged = new MergeSorted(take == null || head < 0 ? route.answering() : route, keys, head,
                RayTable.of(shapeNames, shapeCols));
        if (take != null) {
            merged = new Limit(merged, take);
        }
        return new Project(merged, output);
    }

    /** How explain shows a shard's request: the shard global as {@code <shard>}. */
    private static final String SHARD = "x_shard_x";

    private static String describe(SelectQuery perShard) {
        return perShard.toString().replace(SHARD, "<shard>");
    }

    /** The take each shard applies: the head or tail the merged take can need, or none. */
    private static Take shardTake(TakeSpec take) {
        if (take == null) {
            return null;
        }
        if (take.headNeeded() >= 0) {
            return Take.first(take.headNeeded());
        }
        return take.tailNeeded() >= 0 ? Take.first(-take.tailNeeded()) : null;
    }

    private Plan scalarAggregate(SelectQuery q, TableSpec spec, int[] shards, List<Aggregate> aggs) {
        List<Named> proj = new ArrayList<>();
        Map<String, Plan> gathers = new LinkedHashMap<>();
        for (Aggregate a : aggs) {
            proj.addAll(a.rule().partials(a, false));
            Expr gathered = a.rule().gathered(a);
            if (gathered != null) {
                List<Named> one = List.of(new Named(Hidden.VALUES, gathered));
                gathers.put(a.output(), new Route(spec.getName(), shards, u -> gatherRequest(u.global(), one, q.where()),
                        "(at " + describe(new SelectQuery(Table.of(SHARD), one, q.where(), List.of(), List.of(), null))
                                + " '" + Hidden.VALUES + ")"));
            }
        }
        if (proj.isEmpty()) {
            // every aggregate is gathered: without a partial each shard would send its rows, and one whose
            // filter matches nothing would send none where one server answers a row (median null, count 0)
            proj.add(new Named(Hidden.ROWS, new Call("count", List.of(Column.of(Hidden.SEQ)))));
        }
        SelectQuery template = new SelectQuery(Table.of(SHARD), proj, q.where(), List.of(), List.of(), null);
        Route.UnitRequest request = u -> new SelectQuery(Table.of(u.global()), proj, q.where(), List.of(), List.of(), null).ipc();
        Route partials = new Route(spec.getName(), shards, request, describe(template));
        int[] unread = IntStream.range(0, spec.getShardCount()).filter(s -> Arrays.binarySearch(shards, s) < 0).toArray();
        // one server answers a row when the table has rows, even if none is on the shards the where clause can match
        Route others = unread.length == 0 ? null : new Route(spec.getName(), unread, request, describe(template));
        return new AggregateCombine(partials, aggs, gathers, others);
    }

    /** {@code (at (select {__v: x from: g where: w}) '__v)}. */
    private static RayValue gatherRequest(String global, List<Named> one, Expr where) {
        return RayList.of(Name.of("at"), new SelectQuery(Table.of(global), one, where, List.of(), List.of(), null).ipc(),
                Symbol.of(Hidden.VALUES));
    }

    private Plan groupAggregate(SelectQuery q, TableSpec spec, int[] shards) {
        Set<String> keyNames = new LinkedHashSet<>();
        for (Named k : q.by()) {
            if (!RowWise.is(k.expr()) || Hidden.is(k.name())) {
                return null;
            }
            keyNames.add(k.name());
        }
        if (q.projections().isEmpty()) {
            return null; // "first row of each group": not distributed
        }
        List<Named> proj = new ArrayList<>();
        List<Aggregate> aggs = new ArrayList<>();
        Set<String> outputs = new LinkedHashSet<>(keyNames);
        List<String> visible = new ArrayList<>(keyNames);
        for (Named p : q.projections()) {
            if (p.expr() instanceof Column c && keyNames.contains(c.name()) && c.name().equals(p.name())) {
                proj.add(p); // the key itself, placed where the user put it
                continue;
            }
            Aggregate a = aggregate(p);
            if (a == null || keyNames.contains(p.name())) {
                return null;
            }
            aggs.add(a);
            proj.addAll(a.rule().partials(a, true));
            outputs.add(p.name());
            visible.add(p.name());
        }
        proj.add(new Named(Hidden.FIRST_SEQ, new Call("min", List.of(Column.of(Hidden.SEQ)))));
        List<RowOrder.Key> order = new ArrayList<>();
        for (OrderKey k : q.order()) {
            if (!outputs.contains(k.column())) {
                return null;
            }
            order.add(new RowOrder.Key(k.column(), k.direction() == OrderKey.Direction.DESC));
        }
        TakeSpec take = q.take() == null ? null : new TakeSpec(q.take().start(), q.take().count());
        Route partials = new Route(spec.getName(), shards,
                u -> new SelectQuery(Table.of(u.global()), proj, q.where(), q.by(), List.of(), null).ipc(),
                describe(new SelectQuery(Table.of(SHARD), proj, q.where(), q.by(), List.of(), null)));
        Plan plan = new GroupCombine(partials, List.copyOf(keyNames), aggs, emptyGroups(spec, keyNames, aggs, proj));
        if (!order.isEmpty()) {
            plan = new Sort(plan, order);
        }
        if (take != null) {
            plan = new Limit(plan, take);
        }
        return plan;
    }

    /** A grouped select's answer with no groups: its visible columns in the shards' order, typed where known. */
    private static RayTable emptyGroups(TableSpec spec, Set<String> keys, List<Aggregate> aggs, List<Named> proj) {
        Map<String, Aggregate> byOutput = new LinkedHashMap<>();
        aggs.forEach(a -> byOutput.put(a.output(), a));
        List<String> names = new ArrayList<>();
        List<Vector> cols = new ArrayList<>();
        for (Named p : proj) {
            if (Hidden.is(p.name())) {
                continue;
            }
            names.add(p.name());
            Aggregate a = byOutput.get(p.name());
            cols.add(a == null ? Schemas.emptyTable(spec, List.of(keyColumn(p))).column(0) : a.rule().empty(a, null));
        }
        return RayTable.of(names, cols);
    }

    private static String keyColumn(Named p) {
        return p.expr() instanceof Column c ? c.name() : p.name();
    }

    private static boolean isName(RayValue v, String name) {
        return v instanceof Name n && n.name().equals(name);
    }
}
