package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Join;
import io.rayforce.cluster.client.query.WindowJoin;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.query.OrderKey;
import io.rayforce.cluster.client.query.Queries;
import io.rayforce.cluster.client.query.Query;
import io.rayforce.cluster.client.query.SelectQuery;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.client.query.Take;
import io.rayforce.cluster.client.rayfall.DataPathGate;
import io.rayforce.cluster.client.rayfall.TreeWalk;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.merge.Aggregate;
import io.rayforce.cluster.router.merge.TakeSpec;
import io.rayforce.cluster.router.plan.AggregateMerge;
import io.rayforce.cluster.router.plan.CountRows;
import io.rayforce.cluster.router.plan.GroupMerge;
import io.rayforce.cluster.router.plan.Plan;
import io.rayforce.cluster.router.plan.RowMerge;
import io.rayforce.cluster.router.plan.ScratchPlan;
import io.rayforce.cluster.router.plan.ShardFanout;
import io.rayforce.cluster.router.plan.SortKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
            return fetch(snapshot.table(n.name()).get());
        }
        // (count t)
        if (tree instanceof RayList l && l.length() == 2 && isName(l.get(0), "count") && l.get(1) instanceof Name t
                && snapshot.table(t.name()).isPresent()) {
            TableSpec spec = snapshot.table(t.name()).get().getSpec();
            return new CountRows(new ShardFanout(spec.getName(), ShardPruning.shards(null, spec),
                    g -> RayList.of(Name.of("count"), Name.of(g)), "(count <shard>)"));
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
            SelectNames.check(s, snapshot.table(t.name()).get().getSpec(), snapshot);
            Plan p = planSelect(s, snapshot.table(t.name()).get());
            if (p != null) {
                return p;
            }
            return scratch(tree, snapshot, "select shape not distributed");
        }
        return scratch(tree, snapshot, referencedTables(tree, snapshot).isEmpty() ? "no cluster table" : "not distributed");
    }

    /** The whole table, merged by row sequence. */
    public static RowMerge fetch(TablePlacement table) {
        TableSpec spec = table.getSpec();
        List<String> cols = Schemas.columnNames(spec);
        return new RowMerge(new ShardFanout(spec.getName(), ShardPruning.shards(null, spec), Name::of, "<shard>"),
                List.of(), null, cols, Schemas.emptyTable(spec, cols));
    }

    private Plan scratch(RayValue tree, ClusterSnapshot snapshot, String reason) {
        Map<String, RowMerge> inputs = new LinkedHashMap<>();
        for (String t : referencedTables(tree, snapshot)) {
            inputs.put(t, fetch(snapshot.table(t).get()));
        }
        return new ScratchPlan(inputs, tree, reason);
    }

    /**
     * Checks a client's expression with the data-path rule before anything of it runs. Cluster
     * tables are names there, whatever the engine calls its builtins (it has one named {@code t}):
     * they are read as tables.
     */
    public static void checkExpression(RayValue tree, ClusterSnapshot snapshot) {
        DataPathGate.checkExpression(TreeWalk.rewrite(tree, v -> v instanceof Name n && snapshot.table(n.name()).isPresent()
                ? Name.of(TABLE_PLACEHOLDER) : v));
    }

    /** What a cluster table's name stands in for while a client's tree is checked. */
    private static final String TABLE_PLACEHOLDER = "cluster_table";

    /** Cluster tables named anywhere in the tree. */
    public static Set<String> referencedTables(RayValue tree, ClusterSnapshot snapshot) {
        Set<String> out = new LinkedHashSet<>();
        collect(tree, snapshot, out, 0);
        return out;
    }

    private static void collect(RayValue v, ClusterSnapshot snapshot, Set<String> out, int depth) {
        if (depth > 512) {
            return;
        }
        if (v instanceof Name n && snapshot.table(n.name()).isPresent()) {
            out.add(n.name());
        } else if (v instanceof Symbol s && snapshot.table(s.name()).isPresent()) {
            out.add(s.name());
        } else if (v instanceof RayList l) {
            for (int i = 0; i < l.length(); i++) {
                collect(l.get(i), snapshot, out, depth + 1);
            }
        } else if (v instanceof RayDict d) {
            collect(d.values(), snapshot, out, depth + 1);
        }
    }

    /** A distributed plan for a select over a cluster table, or null when its shape is not distributed. */
    Plan planSelect(SelectQuery q, TablePlacement table) {
        TableSpec spec = table.getSpec();
        if (q.where() != null && !Aggregate.rowWise(q.where())) {
            return null;
        }
        for (Named n : q.projections()) {
            if (n.name().startsWith("__")) {
                return null;
            }
        }
        int[] shards = ShardPruning.shards(q.where(), spec);
        if (q.by().isEmpty()) {
            if (q.projections().stream().allMatch(p -> Aggregate.rowWise(p.expr()))) {
                return rowSelect(q, spec, shards);
            }
            List<Aggregate> aggs = new ArrayList<>();
            for (Named p : q.projections()) {
                Aggregate a = Aggregate.of(p);
                if (a == null) {
                    return null;
                }
                aggs.add(a);
            }
            return q.order().isEmpty() && q.take() == null ? scalarAggregate(q, spec, shards, aggs) : null;
        }
        return groupAggregate(q, spec, shards);
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
        proj.add(Column.of(ClusterNaming.SEQ_COLUMN).named());
        List<SortKey> keys = new ArrayList<>();
        for (int i = 0; i < q.order().size(); i++) {
            OrderKey k = q.order().get(i);
            if (Schemas.columnType(spec, k.column()) == null) {
                return null; // the engine sorts plain selects by source columns only
            }
            String hidden = "__o" + i;
            proj.add(new Named(hidden, Column.of(k.column())));
            keys.add(new SortKey(hidden, k.direction() == OrderKey.Direction.DESC));
        }
        TakeSpec take = q.take() == null ? null : new TakeSpec(q.take().start(), q.take().count());
        Take shardTake = shardTake(take);
        SelectQuery perShard = new SelectQuery(Table.of("x"), proj, q.where(), List.of(), q.order(), shardTake);
        ShardFanout fanout = new ShardFanout(spec.getName(), shards,
                g -> new SelectQuery(Table.of(g), proj, q.where(), List.of(), q.order(), shardTake).ipc(),
                perShard.toString().replace("from: x", "from: <shard>"));
        return new RowMerge(fanout, keys, take, output, Schemas.emptyTable(spec, output));
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
        Map<String, ShardFanout> gathers = new LinkedHashMap<>();
        for (Aggregate a : aggs) {
            proj.addAll(a.scalarPartials());
            if (a.kind().gathersValues()) {
                List<Named> one = List.of(new Named("__v", a.argument()));
                boolean distinct = a.kind() == Aggregate.Kind.COUNT_DISTINCT;
                gathers.put(a.output(), new ShardFanout(spec.getName(), shards,
                        g -> gatherRequest(g, one, q.where(), distinct),
                        (distinct ? "(distinct " : "") + "(at (select {__v: " + a.argument() + " from: <shard>"
                        + (q.where() == null ? "" : " where: " + q.where()) + "}) '__v)" + (distinct ? ")" : "")));
            }
        }
        proj.add(new Named("__rows", new Call("count", List.of(Column.of(ClusterNaming.SEQ_COLUMN)))));
        ShardFanout partials = new ShardFanout(spec.getName(), shards,
                g -> new SelectQuery(Table.of(g), proj, q.where(), List.of(), List.of(), null).ipc(),
                new SelectQuery(Table.of("x"), proj, q.where(), List.of(), List.of(), null).toString()
                        .replace("from: x", "from: <shard>"));
        return new AggregateMerge(partials, aggs, gathers);
    }

    /** {@code (at (select {__v: x from: g where: w}) '__v)}, wrapped in {@code distinct} when asked. */
    private static RayValue gatherRequest(String global, List<Named> one, Expr where, boolean distinct) {
        RayValue values = RayList.of(Name.of("at"),
                new SelectQuery(Table.of(global), one, where, List.of(), List.of(), null).ipc(), Symbol.of("__v"));
        return distinct ? RayList.of(Name.of("distinct"), values) : values;
    }

    private Plan groupAggregate(SelectQuery q, TableSpec spec, int[] shards) {
        Set<String> keyNames = new LinkedHashSet<>();
        for (Named k : q.by()) {
            if (!Aggregate.rowWise(k.expr()) || k.name().startsWith("__")) {
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
        for (Named p : q.projections()) {
            if (p.expr() instanceof Column c && keyNames.contains(c.name()) && c.name().equals(p.name())) {
                proj.add(p); // the key itself, placed where the user put it
                continue;
            }
            Aggregate a = Aggregate.of(p);
            if (a == null || keyNames.contains(p.name())) {
                return null;
            }
            aggs.add(a);
            proj.addAll(a.groupedPartials());
            outputs.add(p.name());
        }
        proj.add(new Named(GroupMerge.FIRST_SEQ, new Call("min", List.of(Column.of(ClusterNaming.SEQ_COLUMN)))));
        List<SortKey> order = new ArrayList<>();
        for (OrderKey k : q.order()) {
            if (!outputs.contains(k.column())) {
                return null;
            }
            order.add(new SortKey(k.column(), k.direction() == OrderKey.Direction.DESC));
        }
        TakeSpec take = q.take() == null ? null : new TakeSpec(q.take().start(), q.take().count());
        ShardFanout partials = new ShardFanout(spec.getName(), shards,
                g -> new SelectQuery(Table.of(g), proj, q.where(), q.by(), List.of(), null).ipc(),
                new SelectQuery(Table.of("x"), proj, q.where(), q.by(), List.of(), null).toString()
                        .replace("from: x", "from: <shard>"));
        return new GroupMerge(partials, List.copyOf(keyNames), aggs, order, take);
    }

    private static boolean isName(RayValue v, String name) {
        return v instanceof Name n && n.name().equals(name);
    }
}
