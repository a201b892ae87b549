package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Join;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.query.OrderKey;
import io.rayforce.cluster.client.query.Queries;
import io.rayforce.cluster.client.query.Query;
import io.rayforce.cluster.client.query.SelectQuery;
import io.rayforce.cluster.client.query.Source;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.client.query.Take;
import io.rayforce.cluster.client.query.WindowJoin;
import io.rayforce.cluster.client.rayfall.Builtins;
import io.rayforce.cluster.client.rayfall.DataPathGate;
import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.rayfall.TreeWalk;
import io.rayforce.cluster.client.value.Atom;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.plan.AggregateCombine;
import io.rayforce.cluster.router.plan.AggregateSource;
import io.rayforce.cluster.router.plan.Cell;
import io.rayforce.cluster.router.plan.ColumnOf;
import io.rayforce.cluster.router.plan.Constant;
import io.rayforce.cluster.router.plan.GroupCombine;
import io.rayforce.cluster.router.plan.Hidden;
import io.rayforce.cluster.router.plan.MergeSorted;
import io.rayforce.cluster.router.plan.Plan;
import io.rayforce.cluster.router.plan.Project;
import io.rayforce.cluster.router.plan.Reused;
import io.rayforce.cluster.router.plan.Route;
import io.rayforce.cluster.router.plan.ScratchEval;
import io.rayforce.cluster.router.plan.SumCounts;
import io.rayforce.cluster.router.plan.UnknownName;
import io.rayforce.cluster.router.plan.aggregate.Aggregate;
import io.rayforce.cluster.router.plan.aggregate.AggregateRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns an expression into a distributed {@link Plan} over a placement snapshot, bottom up: each
 * subexpression is placed where its value lives ({@link Placed}): still on the shards of a table
 * (a table, a select over it, a column of it, a row-wise computation over such columns), or at
 * the router (what an aggregate, a count, a distinct, a sorted take or a join combines from the
 * shards). Each builtin is placed by its rule in {@link Builtins} ({@link Builtins.Placement}).
 * What no rule covers is evaluated on the router's scratch engine over its arguments, each
 * placed as far as it goes (only the rows a filter keeps are merged, not the whole table).
 */
public final class Planner {
    /**
     * The system property that, set to {@code false} before the first query, has every aggregate
     * select computed each time (the steps inside it, such as symbol ranks and counts, are still
     * reused while their table is unchanged): for benchmarks that time one query again and again.
     */
    public static final String REUSE_ANSWERS_PROPERTY = "rayforce.cluster.reuseAnswers";

    /** Builtins that do not evaluate their arguments first (special forms): never placed piecewise. */
    private static final Set<String> SPECIAL_FORMS = Set.of("set", "let", "if", "do", "while", "times", "fn", "quote", "try",
            "and", "or", "select", "window", "update", "insert", "upsert", "delete", "asof-join", "window-join", "window-join1",
            "resolve", "timeit", "alter", "del", "rule", "query");
    /** How explain shows a shard's request: the shard global as {@code <shard>}. */
    private static final String SHARD = SelectPlanner.SHARD;
    /** The name the top rows of a take are bound to at the router. */
    private static final String TAKEN = "rows";
    /** The column distinct values are gathered into. */
    private static final String DISTINCT = "value";

    private final JoinPlanner joins = new JoinPlanner();
    private final SelectPlanner selects = new SelectPlanner();

    public Plan plan(RayValue tree, ClusterSnapshot snapshot) {
        return plan(tree, snapshot, TableSizes.UNKNOWN);
    }

    /** As above, sizing joins that are not co-located from {@code sizes} (broadcast or shuffle). */
    public Plan plan(RayValue tree, ClusterSnapshot snapshot, TableSizes sizes) {
        return new Planning(snapshot, sizes).answer(tree);
    }

    /** The whole table, merged by row sequence, as the input of another step. */
    public static Plan fetch(TablePlacement table) {
        return gather(ShardedRows.of(table), false);
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

    /**
     * Rows on the shards merged at the router in insertion order: each shard's select of the
     * columns (with {@code __seq}), a k-way merge by {@code __seq}, the columns; a vector's column
     * alone. {@code answer}: the rows are the query's answer (they count against the result limits).
     */
    private static Plan gather(ShardedRows rows, boolean answer) {
        TableSpec spec = rows.spec();
        List<Named> proj = new ArrayList<>(rows.columns());
        proj.add(Column.of(Hidden.SEQ).named());
        boolean whole = rows.where() == null && !rows.vector() && rows.names().equals(Schemas.columnNames(spec))
                && rows.columns().stream().allMatch(c -> c.expr() instanceof Column col && col.name().equals(c.name()));
        Route route = whole
                ? new Route(spec.getName(), ShardPruning.shards(null, spec), u -> Name.of(u.global()), "<shard>")
                : new Route(spec.getName(), ShardPruning.shards(rows.where(), spec),
                        u -> rows.select(proj).withSource(Table.of(u.global())).ipc(),
                        SelectPlanner.describe(rows.select(proj).withSource(Table.of(SHARD))));
        List<String> names = new ArrayList<>(rows.names());
        List<String> withSeq = new ArrayList<>(names);
        withSeq.add(Hidden.SEQ);
        Plan merged = new Project(new MergeSorted(answer ? route.answering() : route, List.of(), -1,
                Schemas.emptyTable(spec, withSeq)), names);
        return rows.vector() ? new ColumnOf(merged, Hidden.VALUES) : merged;
    }

    /** One query's planning: the snapshot it plans against, and the names it gives values it moves to the router. */
    private final class Planning {
        private final ClusterSnapshot snapshot;
        private final TableSizes sizes;
        private int inputs;

        Planning(ClusterSnapshot snapshot, TableSizes sizes) {
            this.snapshot = snapshot;
            this.sizes = sizes;
        }

        Plan answer(RayValue tree) {
            Placed p = place(tree, true);
            return p == null ? fallback(tree, reason(tree)) : local(p, true);
        }

        /** Why a tree no rule places runs on the scratch engine, for explain. */
        private String reason(RayValue tree) {
            Optional<Query> q = Queries.parse(tree);
            if (q.isPresent() && (q.get() instanceof Join || q.get() instanceof WindowJoin)) {
                return "join not distributed";
            }
            return q.isPresent() && q.get() instanceof SelectQuery ? "select shape not distributed" : "not distributed";
        }

        private Plan local(Placed p, boolean answer) {
            return p instanceof Placed.Local l ? l.plan() : gather(((Placed.Sharded) p).rows(), answer);
        }

        /** Where {@code tree}'s value lives, or null when no rule places it. */
        private Placed place(RayValue tree, boolean answer) {
            if (tree instanceof Name n) {
                return snapshot.table(n.name()).map(t -> (Placed) new Placed.Sharded(ShardedRows.of(t))).orElse(null);
            }
            Optional<Query> q = Queries.parse(tree);
            if (q.isPresent() && (q.get() instanceof Join || q.get() instanceof WindowJoin)) {
                Plan p = q.get() instanceof Join j ? joins.plan(j, snapshot, sizes) : joins.plan((WindowJoin) q.get(), snapshot, sizes);
                return p == null ? null : new Placed.Local(p);
            }
            if (q.isPresent() && q.get() instanceof SelectQuery s) {
                return select(tree, s, answer);
            }
            String f = Queries.function(tree);
            if (f == null || SPECIAL_FORMS.contains(f) || Builtins.kind(f) != Builtins.Kind.PURE) {
                return null;
            }
            if (f.equals("modify")) {
                Placed m = modify((RayList) tree, answer);
                if (m != null) {
                    return m;
                }
            }
            return call(f, (RayList) tree, answer);
        }

        /**
         * {@code (modify t 'c f)} of a cluster table: the select it equals when {@code f} is
         * row-wise ({@link ModifyRewrite}); a column the table lacks answers the engine's error,
         * found over an empty table with the same columns. Null otherwise (merged first).
         */
        private Placed modify(RayList call, boolean answer) {
            if (call.length() != 4 || !(call.get(1) instanceof Name t) || !(call.get(2) instanceof Symbol c)) {
                return null;
            }
            TablePlacement table = snapshot.table(t.name()).orElse(null);
            if (table == null) {
                return null;
            }
            List<String> cols = Schemas.columnNames(table.getSpec());
            if (!cols.contains(c.name())) {
                return new Placed.Local(new ScratchEval(Map.of(t.name(), new Constant(Schemas.emptyTable(table.getSpec(), cols))),
                        call, "over an empty " + t.name()));
            }
            return ModifyRewrite.select(t.name(), cols, c.name(), call.get(3)).map(tree -> place(tree, answer)).orElse(null);
        }

        private Placed select(RayValue tree, SelectQuery s, boolean answer) {
            ShardedRows source = rowsOf(s.from());
            if (source == null) {
                return null;
            }
            if (s.from() instanceof Table t) {
                TableSpec spec = source.spec();
                String unknown = SelectNames.firstUnknown(s, spec, snapshot);
                if (unknown != null) {
                    List<String> cols = Schemas.columnNames(spec);
                    return new Placed.Local(new UnknownName(new ScratchEval(Map.of(t.name(),
                            new Constant(Schemas.emptyTable(spec, cols))), tree, "over an empty " + t.name()), unknown, t.name(), cols));
                }
            }
            return selects.plan(s, source, answer);
        }

        /** The rows a select's source names when they are still on the shards, else null. */
        private ShardedRows rowsOf(Source from) {
            RayValue tree = from instanceof Table t ? Name.of(t.name()) : from instanceof Query qs ? qs.ipc() : null;
            Placed p = tree == null ? null : place(tree, false);
            return p instanceof Placed.Sharded sh && !sh.rows().vector() ? sh.rows() : null;
        }

        private Placed call(String f, RayList call, boolean answer) {
            int argc = call.length() - 1;
            if (f.equals("count") && argc == 1 && place(call.get(1), false) instanceof Placed.Sharded sh) {
                return new Placed.Local(count(sh.rows()));
            }
            if (f.equals("at") && argc == 2 && call.get(2) instanceof Symbol c && place(call.get(1), false) instanceof Placed.Sharded sh
                    && !sh.rows().vector() && sh.rows().column(c.name()) != null) {
                return new Placed.Sharded(sh.rows().vectorOf(c.name()));
            }
            if (f.equals("distinct") && argc == 1 && place(call.get(1), false) instanceof Placed.Sharded sh && sh.rows().vector()) {
                return new Placed.Local(distinct(sh.rows()));
            }
            if ((f.equals("take") || f.equals("xasc") || f.equals("xdesc")) && argc == 2) {
                Placed p = sortedTake(f, call, answer);
                if (p != null) {
                    return p;
                }
            }
            Builtins.Placement rule = Builtins.placement(f);
            if (rule == Builtins.Placement.AGGREGATE && (argc == 1 || argc == 2)) {
                return aggregate(call);
            }
            if (rule == Builtins.Placement.ROWWISE) {
                return rowWise(f, call);
            }
            return null;
        }

        /**
         * {@code (f V)}, {@code (f V W)} or {@code (f V p)} of vectors of the same rows on the shards
         * (p a literal), for an aggregate the cluster splits: partials, a combine, the value.
         */
        private Placed aggregate(RayList call) {
            String f = Queries.function(call);
            RayValue arg = call.get(1);
            boolean distinctCount = f.equals("count") && call.length() == 2 && "distinct".equals(Queries.function(arg))
                    && ((RayList) arg).length() == 2;
            List<RayValue> args = new ArrayList<>(call.toList().subList(1, call.length()));
            if (distinctCount) {
                args.set(0, ((RayList) arg).get(1));
            }
            ShardedRows v = null;
            List<Expr> exprs = new ArrayList<>();
            for (RayValue a : args) {
                if (!exprs.isEmpty() && a instanceof Atom && !(a instanceof Name)) {
                    exprs.add(new Literal(a)); // a parameter: (percentile V 90), (top V 3)
                    continue;
                }
                if (!(place(a, false) instanceof Placed.Sharded sh) || !sh.rows().vector() || v != null
                        && (!v.spec().getName().equals(sh.rows().spec().getName()) || !Objects.equals(v.where(), sh.rows().where()))) {
                    return null; // vectors of other rows do not line up
                }
                v = sh.rows();
                exprs.add(v.vectorExpr());
            }
            Expr e = distinctCount ? new Call("count", List.of(new Call("distinct", exprs))) : new Call(f, exprs);
            Aggregate a = AggregateRules.recognize(Hidden.VALUES, e);
            if (a == null || !a.arguments().stream().allMatch(RowWise::is)) {
                return null;
            }
            TableSpec spec = v.spec();
            int[] shards = ShardPruning.shards(v.where(), spec);
            Map<String, Plan> gathers = new LinkedHashMap<>();
            Expr gathered = a.rule().gathered(a);
            if (gathered != null) {
                SelectQuery one = new SelectQuery(Table.of(SHARD), List.of(new Named(Hidden.VALUES, gathered)), v.where(), List.of(),
                        List.of(), null);
                String values = "(at " + SelectPlanner.describe(one) + " '" + Hidden.VALUES + ")";
                String shown = RayfallPrinter.print(a.rule().onShard(a, Name.of("x_values_x"))).replace("x_values_x", values);
                gathers.put(a.output(), new Route(spec.getName(), shards, u -> a.rule().onShard(a, RayList.of(Name.of("at"),
                        one.withSource(Table.of(u.global())).ipc(), Symbol.of(Hidden.VALUES))), shown));
            }
            List<Named> proj = new ArrayList<>(a.rule().partials(a, false));
            if (proj.isEmpty()) {
                // a gathered aggregate: the partial only says whether the shard has rows
                proj.add(new Named(Hidden.ROWS, new Call("count", List.of(Column.of(Hidden.SEQ)))));
            }
            SelectQuery partials = new SelectQuery(Table.of(SHARD), proj, v.where(), List.of(), List.of(), null);
            Route route = new Route(spec.getName(), shards, u -> partials.withSource(Table.of(u.global())).ipc(),
                    SelectPlanner.describe(partials));
            Plan combined = new AggregateSource(spec.getName(), shards, v.where(), List.of())
                    .finish(new AggregateCombine(route, List.of(a), gathers), List.of(a));
            SelectQuery asSelect = new SelectQuery(Table.of(spec.getName()), List.of(new Named(Hidden.VALUES, e)), v.where(), List.of(),
                    List.of(), null);
            return new Placed.Local(SelectPlanner.reused("the cell of", new Cell(combined, a), asSelect, spec));
        }

        /** An element-by-element builtin over vectors of the same rows (scalars broadcast): still on the shards. */
        private Placed rowWise(String f, RayList call) {
            if (!RowWise.sameOutsideSelect(f)) {
                return null; // a select on the shards would answer otherwise than this call outside one
            }
            ShardedRows rows = null;
            List<Expr> args = new ArrayList<>();
            for (int i = 1; i < call.length(); i++) {
                RayValue a = call.get(i);
                if (a instanceof Atom && !(a instanceof Name) || i > 1 && a instanceof Vector && !(a instanceof RayList)
                        && Set.of("in", "not-in", "within").contains(f)) {
                    args.add(new Literal(a));
                    continue;
                }
                if (!(place(a, false) instanceof Placed.Sharded sh) || !sh.rows().vector()) {
                    return null;
                }
                if (rows != null && (!rows.table().getSpec().getName().equals(sh.rows().spec().getName())
                        || !Objects.equals(rows.where(), sh.rows().where()))) {
                    return null; // vectors of other rows do not line up
                }
                rows = sh.rows();
                args.add(sh.rows().vectorExpr());
            }
            return rows == null ? null : new Placed.Sharded(rows.map(new Call(f, args)));
        }

        /**
         * {@code (take X n)}, {@code (xasc X 'c)}, {@code (xdesc X 'c)}, and a take of a sort, of
         * rows on the shards: one select with the sort and the take (each shard's top rows, a
         * merge). A vector's take is the take of its column.
         */
        private Placed sortedTake(String f, RayList call, boolean answer) {
            Take take = null;
            RayValue of = call.get(1);
            if (f.equals("take")) {
                take = takeOf(call.get(2));
                if (take == null) {
                    return null;
                }
            }
            List<OrderKey> order = new ArrayList<>();
            RayList sort = f.equals("take") ? null : call;
            if (sort == null && Queries.function(of) != null && Set.of("xasc", "xdesc").contains(Queries.function(of))
                    && ((RayList) of).length() == 3) {
                sort = (RayList) of;
            }
            if (sort != null) {
                List<String> cols = columnsOf(sort.get(2));
                if (cols == null) {
                    return null;
                }
                boolean desc = Queries.function(sort).equals("xdesc");
                cols.forEach(c -> order.add(desc ? OrderKey.desc(c) : OrderKey.asc(c)));
                of = sort.get(1);
            }
            if (!(place(of, false) instanceof Placed.Sharded sh)) {
                return null;
            }
            ShardedRows rows = sh.rows();
            if (rows.vector() && !order.isEmpty()) {
                return null;
            }
            SelectQuery q = new SelectQuery(Table.of(rows.spec().getName()), rows.columns(), null, List.of(), order, take);
            Placed p = selects.plan(q, new ShardedRows(rows.table(), rows.where(), rows.columns(), false), answer && !rows.vector());
            if (p == null) {
                return null;
            }
            Plan plan = rows.vector() ? new ColumnOf(local(p, false), Hidden.VALUES) : local(p, false);
            if (take != null && take.start() == null) {
                // the engine's take of more than there is repeats the rows (or makes empty ones): apply it to the top rows
                plan = new ScratchEval(Map.of(TAKEN, plan), RayList.of(Name.of("take"), Name.of(TAKEN), call.get(2)),
                        "the engine's take of the top rows");
            }
            return new Placed.Local(plan);
        }

        private static Take takeOf(RayValue n) {
            if (n instanceof I64Atom i && !i.isNull()) {
                return Take.first(i.value());
            }
            if (n instanceof I64Vector v && v.length() == 2 && !v.hasNulls()) {
                return Take.range(v.get(0), v.get(1));
            }
            return null;
        }

        private static List<String> columnsOf(RayValue v) {
            if (v instanceof Symbol s) {
                return new ArrayList<>(List.of(s.name()));
            }
            if (v instanceof SymbolVector sv) {
                return new ArrayList<>(sv.toList());
            }
            return null;
        }

        /** How many rows a value on the shards has: the sum of the shards' counts. */
        private Plan count(ShardedRows rows) {
            TableSpec spec = rows.spec();
            if (rows.where() == null) {
                return SelectPlanner.tableCount(spec);
            }
            return SelectPlanner.count(rows, ShardPruning.shards(rows.where(), spec));
        }

        /**
         * {@code (distinct V)} in two phases: each shard groups its values with the first row
         * each appears in; the router joins equal values in order of first appearance, and the
         * engine's own {@code distinct} of those values (each once) gives its order.
         */
        private Plan distinct(ShardedRows v) {
            TableSpec spec = v.spec();
            List<Named> by = List.of(new Named(DISTINCT, v.vectorExpr()));
            List<Named> proj = List.of(new Named(Hidden.FIRST_SEQ, new Call("min", List.of(Column.of(Hidden.SEQ)))));
            SelectQuery template = new SelectQuery(Table.of(SHARD), proj, v.where(), by, List.of(), null);
            Route route = new Route(spec.getName(), ShardPruning.shards(v.where(), spec),
                    u -> template.withSource(Table.of(u.global())).ipc(), SelectPlanner.describe(template));
            RayTable empty = Schemas.emptyTable(spec, List.of(v.vectorExpr() instanceof Column c ? c.name() : DISTINCT));
            RayTable named = RayTable.of(List.of(DISTINCT), empty.columns());
            Plan values = new ColumnOf(new GroupCombine(route, List.of(DISTINCT), List.of(), named), DISTINCT);
            // the engine orders distinct numbers its own way (sorted, or by hash for a few floats): let it
            return new ScratchEval(Map.of(DISTINCT, values), RayList.of(Name.of("distinct"), Name.of(DISTINCT)),
                    "the engine's order of the distinct values, each once");
        }

        /**
         * What no rule places: evaluated on the scratch engine. The arguments of a builtin call are
         * placed first, each as far as it goes, and only their values moved to the router; any
         * other cluster table the tree names is moved whole.
         */
        private Plan fallback(RayValue tree, String reason) {
            Map<String, Plan> values = new LinkedHashMap<>();
            RayValue rewritten = tree;
            String f = Queries.function(tree);
            if (f != null && !SPECIAL_FORMS.contains(f) && Builtins.kind(f) == Builtins.Kind.PURE) {
                RayList call = (RayList) tree;
                List<RayValue> items = new ArrayList<>();
                items.add(call.get(0));
                for (int i = 1; i < call.length(); i++) {
                    RayValue a = call.get(i);
                    Placed p = a instanceof Name ? null : place(a, false);
                    if (p != null) {
                        String name = "__in" + inputs++;
                        values.put(name, local(p, false));
                        items.add(Name.of(name));
                    } else {
                        items.add(a);
                    }
                }
                rewritten = RayList.of(items);
            }
            for (String t : referencedTables(rewritten, snapshot)) {
                values.put(t, fetch(snapshot.table(t).get()));
            }
            return new ScratchEval(values, rewritten, referencedTables(tree, snapshot).isEmpty() ? "no cluster table" : reason);
        }
    }
}
