package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.query.OrderKey;
import io.rayforce.cluster.client.query.SelectQuery;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.client.query.Take;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.merge.RowOrder;
import io.rayforce.cluster.router.merge.TakeSpec;
import io.rayforce.cluster.router.plan.AggregateCombine;
import io.rayforce.cluster.router.plan.AggregateSource;
import io.rayforce.cluster.router.plan.EmptyUnless;
import io.rayforce.cluster.router.plan.GroupCombine;
import io.rayforce.cluster.router.plan.GroupOrder;
import io.rayforce.cluster.router.plan.Hidden;
import io.rayforce.cluster.router.plan.KeyOrder;
import io.rayforce.cluster.router.plan.Limit;
import io.rayforce.cluster.router.plan.MergeSorted;
import io.rayforce.cluster.router.plan.Plan;
import io.rayforce.cluster.router.plan.Project;
import io.rayforce.cluster.router.plan.Reused;
import io.rayforce.cluster.router.plan.Route;
import io.rayforce.cluster.router.plan.ScratchEval;
import io.rayforce.cluster.router.plan.Sort;
import io.rayforce.cluster.router.plan.SumCounts;
import io.rayforce.cluster.router.plan.SymbolRanks;
import io.rayforce.cluster.router.plan.aggregate.Aggregate;
import io.rayforce.cluster.router.plan.aggregate.AggregateRule;
import io.rayforce.cluster.router.plan.aggregate.AggregateRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Plans a select over rows that live on the shards ({@link ShardedRows}): a select over a
 * cluster table, or over another such select, flattened into one select over the stored table
 * (its names replaced by what they compute, the filters joined). A row-wise select stays on the
 * shards; one with a sort or a take is a per-shard top-k and a merge; aggregates are partial
 * states and a combine, and an expression over aggregates is computed at the router on the
 * combined rows. Returns null for a shape it does not distribute.
 */
final class SelectPlanner {
    /** How explain shows a shard's request: the shard global as {@code <shard>}. */
    static final String SHARD = "x_shard_x";

    /**
     * {@code q} (its source is {@code source}, its names are {@code source}'s columns) placed:
     * on the shards when it is row-wise, else at the router; null when not distributed.
     *
     * @param answer whether the result is the query's answer (its rows then count against the result limits as they arrive)
     */
    Placed plan(SelectQuery q, ShardedRows source, boolean answer) {
        SelectQuery flat = flatten(q, source);
        if (flat == null) {
            return null;
        }
        TableSpec spec = source.spec();
        if (flat.where() != null && !RowWise.is(flat.where())) {
            return null;
        }
        for (Named n : q.projections()) {
            if (Hidden.is(n.name())) {
                return null;
            }
        }
        int[] shards = ShardPruning.shards(flat.where(), spec);
        if (flat.by().isEmpty()) {
            if (flat.projections().stream().allMatch(p -> RowWise.is(p.expr()))) {
                if (flat.order().isEmpty() && flat.take() == null) {
                    return new Placed.Sharded(new ShardedRows(source.table(), flat.where(), flat.projections(), false));
                }
                Plan p = rowSelect(flat, orderExprs(q, source), spec, shards, answer);
                return p == null ? null : new Placed.Local(p);
            }
            if (!flat.order().isEmpty() || flat.take() != null) {
                return null;
            }
            Plan p = scalarAggregate(flat, spec, shards, source);
            return p == null ? null : new Placed.Local(reused("answer of", p, flat, spec));
        }
        Plan p = groupAggregate(flat, spec, shards);
        return p == null ? null : new Placed.Local(reused("answer of", p, flat, spec));
    }

    /**
     * {@code p}, which computes {@code what} of the flattened select {@code flat} (an aggregate
     * select's answer, the value of an aggregate of a vector), kept while its table is unchanged
     * when {@code flat} depends on the table's rows alone ({@link Reusable#select}): read again
     * under the same read lease, it sends nothing to the shards. Keyed by {@code what} and the
     * select's text, which names everything the value depends on besides the rows.
     */
    static Plan reused(String what, Plan p, SelectQuery flat, TableSpec spec) {
        if (!REUSE_ANSWERS || !Reusable.select(flat, spec)) {
            return p;
        }
        String text = what + " " + flat;
        // a select holding a large literal (a long list for in) is not worth keeping under its text
        return text.length() > MAX_REUSED_TEXT ? p : new Reused(p, spec.getName(), spec.getCreatedEpoch(), text);
    }

    /** The longest select text whose answer is kept. */
    private static final int MAX_REUSED_TEXT = 1 << 16;

    private static final boolean REUSE_ANSWERS = !"false".equals(System.getProperty(Planner.REUSE_ANSWERS_PROPERTY));

    /**
     * {@code q} written over the stored table: its projections (all of {@code source}'s columns
     * when it has none), where and by in terms of the stored columns, and {@code source}'s filter
     * joined with its own; null when a name cannot be carried over.
     */
    static SelectQuery flatten(SelectQuery q, ShardedRows source) {
        List<Named> proj = new ArrayList<>();
        for (Named p : q.projections().isEmpty() ? source.columns() : q.projections()) {
            Expr e = q.projections().isEmpty() ? p.expr() : inline(source, p.expr());
            if (e == null) {
                return null;
            }
            proj.add(new Named(p.name(), e));
        }
        List<Named> by = new ArrayList<>();
        for (Named k : q.by()) {
            Expr e = inline(source, k.expr());
            if (e == null) {
                return null;
            }
            by.add(new Named(k.name(), e));
        }
        ShardedRows filtered = q.where() == null ? source : source.knows(q.where()) ? source.filter(q.where()) : null;
        if (filtered == null) {
            return null;
        }
        for (OrderKey k : q.order()) {
            if (source.column(k.column()) == null && q.projections().stream().noneMatch(p -> p.name().equals(k.column()))) {
                return null;
            }
        }
        return new SelectQuery(Table.of(source.spec().getName()), proj, filtered.where(), by, q.order(), q.take());
    }

    private static Expr inline(ShardedRows source, Expr e) {
        return source.knows(e) ? source.inline(e) : null;
    }

    /** For each sort key of a plain select: what it sorts by, over the stored table (a source column). */
    private static List<Expr> orderExprs(SelectQuery q, ShardedRows source) {
        List<Expr> out = new ArrayList<>();
        for (OrderKey k : q.order()) {
            out.add(source.column(k.column()));
        }
        return out;
    }

    /** {@code (count t)}: the sum of every shard's count, reused while the table is unchanged. */
    static Plan tableCount(TableSpec spec) {
        return new Reused(new SumCounts(new Route(spec.getName(), ShardPruning.shards(null, spec),
                u -> RayList.of(Name.of("count"), Name.of(u.global())), "(count <shard>)")), spec.getName(), spec.getCreatedEpoch());
    }

    /** How many rows of {@code source} there are, over {@code shards}; reused while the table is unchanged when the filter allows. */
    static Plan count(ShardedRows source, int[] shards) {
        TableSpec spec = source.spec();
        Plan sum = new SumCounts(new Route(spec.getName(), shards, u -> RayList.of(Name.of("count"),
                new SelectQuery(Table.of(u.global()), List.of(), source.where(), List.of(), List.of(), null).ipc()),
                "(count " + describe(new SelectQuery(Table.of(SHARD), List.of(), source.where(), List.of(), List.of(), null)) + ")"));
        return Reusable.over(source.where(), spec) ? new Reused(sum, spec.getName(), spec.getCreatedEpoch()) : sum;
    }

    private Plan rowSelect(SelectQuery q, List<Expr> orderBy, TableSpec spec, int[] shards, boolean answer) {
        List<Named> proj = new ArrayList<>();
        List<String> output = new ArrayList<>();
        for (Named p : q.projections()) {
            proj.add(p);
            output.add(p.name());
        }
        proj.add(Column.of(Hidden.SEQ).named());
        RayTable shape = Schemas.emptyTable(spec, proj.stream().map(Named::name).toList());
        List<String> shapeNames = new ArrayList<>(shape.columnNames());
        List<Vector> shapeCols = new ArrayList<>(shape.columns());
        shapeCols.set(shapeNames.indexOf(Hidden.SEQ), Schemas.empty("i64"));
        List<RowOrder.Key> keys = new ArrayList<>();
        // the engine sorts a plain select by stored columns only: each shard sorts by the column a key stands for
        List<OrderKey> shardOrder = new ArrayList<>();
        for (int i = 0; i < q.order().size(); i++) {
            OrderKey k = q.order().get(i);
            if (!(orderBy.get(i) instanceof Column by) || Schemas.columnType(spec, by.name()) == null) {
                return null;
            }
            String hidden = Hidden.orderKey(i);
            proj.add(new Named(hidden, by));
            shapeNames.add(hidden);
            shapeCols.add(Schemas.empty(Schemas.columnType(spec, by.name())));
            keys.add(new RowOrder.Key(hidden, k.direction() == OrderKey.Direction.DESC));
            shardOrder.add(new OrderKey(by.name(), k.direction()));
        }
        TakeSpec take = q.take() == null ? null : new TakeSpec(q.take().start(), q.take().count());
        Take shardTake = shardTake(take);
        Route route = new Route(spec.getName(), shards,
                u -> new SelectQuery(Table.of(u.global()), proj, q.where(), List.of(), shardOrder, shardTake).ipc(),
                describe(new SelectQuery(Table.of(SHARD), proj, q.where(), List.of(), shardOrder, shardTake)));
        long head = take == null ? -1 : take.headNeeded();
        // without a take the answer is every row the shards send: count them as they arrive
        boolean answering = answer && (take == null || head < 0);
        Plan merged = new MergeSorted(answering ? route.answering() : route, keys, head, RayTable.of(shapeNames, shapeCols));
        if (take != null) {
            merged = new Limit(merged, take);
        }
        return new Project(merged, output);
    }

    static String describe(SelectQuery perShard) {
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

    /**
     * The aggregates of a select's projections: each is an aggregate the cluster splits, or a
     * row-wise expression over such aggregates (and group keys), which is computed at the router
     * on the combined rows. Null when a projection is neither.
     */
    private static final class Decomposed {
        /** The select's projections as the shards compute them: plain aggregates, keys, and a count standing in for each expression. */
        final List<Named> shardProjections = new ArrayList<>();
        /** Every aggregate to combine, the hidden ones of expressions included. */
        final List<Aggregate> aggregates = new ArrayList<>();
        /** The expressions over aggregates, by output name, written over the hidden aggregates' columns. */
        final Map<String, Expr> post = new LinkedHashMap<>();
        final Set<String> hidden = new LinkedHashSet<>();
    }

    private static Decomposed decompose(SelectQuery q, TableSpec spec, Set<String> keys) {
        Decomposed d = new Decomposed();
        for (Named p : q.projections()) {
            if (p.expr() instanceof Column c && keys.contains(c.name()) && c.name().equals(p.name())) {
                d.shardProjections.add(p); // the key itself, placed where the user put it
                continue;
            }
            if (keys.contains(p.name())) {
                return null;
            }
            Aggregate a = aggregate(p.name(), p.expr());
            if (a != null) {
                d.aggregates.add(a);
                d.shardProjections.add(p);
                continue;
            }
            Expr post = lift(p.expr(), keys, d);
            if (post == null || !RowWise.is(post)) {
                return null;
            }
            // a stand-in in the projection's place, so the combined columns come in the engine's order
            Aggregate standIn = new Aggregate(p.name(), AggregateRules.forFunction("count"), Column.of(Hidden.SEQ));
            d.aggregates.add(standIn);
            d.shardProjections.add(new Named(p.name(), new Call("count", List.of(Column.of(Hidden.SEQ)))));
            d.post.put(p.name(), post);
        }
        AggregateRules.Place place = !keys.isEmpty() ? AggregateRules.Place.GROUPED
                : d.post.isEmpty() ? AggregateRules.Place.UNGROUPED : AggregateRules.Place.WITH_EXPRESSIONS;
        Set<String> floats = new HashSet<>();
        spec.getColumnsList().forEach(c -> {
            if (c.getType().equals("f64")) {
                floats.add(c.getName());
            }
        });
        for (int i = 0; i < d.aggregates.size(); i++) {
            Aggregate placed = AggregateRules.at(place, d.aggregates.get(i));
            if (placed == null) {
                return null;
            }
            d.aggregates.set(i, AggregateRules.typed(placed, floats::contains));
        }
        return d;
    }

    /** {@code e} with each aggregate in it replaced by a hidden aggregate of {@code d}; null when a column in it is not a key. */
    private static Expr lift(Expr e, Set<String> keys, Decomposed d) {
        if (e instanceof Literal) {
            return e;
        }
        if (e instanceof Column c) {
            return keys.contains(c.name()) ? c : null;
        }
        Call c = (Call) e;
        String name = Hidden.aggregate(d.hidden.size());
        Aggregate a = aggregate(name, c);
        if (a != null && !a.rule().oneValue()) {
            return null; // a vector per group (top, bot) inside an expression: not distributed
        }
        if (a != null) {
            d.hidden.add(name);
            d.aggregates.add(a);
            return Column.of(name);
        }
        List<Expr> args = new ArrayList<>();
        for (Expr arg : c.args()) {
            Expr l = lift(arg, keys, d);
            if (l == null) {
                return null;
            }
            args.add(l);
        }
        return new Call(c.function(), args);
    }

    /** The aggregate {@code e} computes as {@code name}, when the cluster splits it and its arguments are row-wise; else null. */
    private static Aggregate aggregate(String name, Expr e) {
        Aggregate a = AggregateRules.recognize(name, e);
        return a != null && a.arguments().stream().allMatch(RowWise::is) ? a : null;
    }

    /**
     * An ungrouped aggregate select. Like one server, it has one row when its source has rows and
     * none otherwise, except that a select computing an expression over aggregates always has one.
     */
    private Plan scalarAggregate(SelectQuery q, TableSpec spec, int[] shards, ShardedRows source) {
        Decomposed d = decompose(q, spec, Set.of());
        if (d == null) {
            return null;
        }
        List<Named> proj = new ArrayList<>();
        Map<String, Plan> gathers = new LinkedHashMap<>();
        for (Aggregate a : d.aggregates) {
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
        Route.UnitRequest request = u -> template.withSource(Table.of(u.global())).ipc();
        Route partials = new Route(spec.getName(), shards, request, describe(template));
        int[] unreadShards = IntStream.range(0, spec.getShardCount()).filter(s -> Arrays.binarySearch(shards, s) < 0).toArray();
        // one server answers a row when the table has rows, even if none is on the shards the where clause can match
        Route unread = unreadShards.length == 0 ? null : new Route(spec.getName(), unreadShards, request, describe(template));
        AggregateSource rows = new AggregateSource(spec.getName(), shards, q.where(), List.of());
        if (!d.post.isEmpty()) {
            Plan combined = rows.finish(new AggregateCombine(partials, d.aggregates, gathers, unread, true), d.aggregates);
            return postEval(combined, q.projections().stream().map(Named::name).toList(), d);
        }
        Plan combined = rows.finish(new AggregateCombine(partials, d.aggregates, gathers, unread, false), d.aggregates);
        if (q.where() != null && d.aggregates.stream().anyMatch(AggregateRules::noRowWhenNoneMatch)) {
            // the engine answers no row when the filter matches none: a shard's partial row does not tell
            combined = new EmptyUnless(count(new ShardedRows(source.table(), q.where(), source.columns(), false), shards), combined);
        }
        // over a computed table: one row only when that table has a row
        return source.where() == null ? combined : new EmptyUnless(count(source, ShardPruning.shards(source.where(), spec)),
                combined);
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
        Decomposed d = decompose(q, spec, keyNames);
        if (d == null) {
            return null;
        }
        List<Named> proj = new ArrayList<>();
        Set<String> outputs = new LinkedHashSet<>(keyNames);
        Map<String, Aggregate> byOutput = new LinkedHashMap<>();
        d.aggregates.forEach(a -> byOutput.put(a.output(), a));
        for (Named p : d.shardProjections) {
            Aggregate a = byOutput.get(p.name());
            if (a == null) {
                proj.add(p);
            } else {
                proj.addAll(a.rule().partials(a, true));
            }
            outputs.add(p.name());
        }
        for (String h : d.hidden) {
            Aggregate a = byOutput.get(h);
            proj.addAll(a.rule().partials(a, true));
        }
        boolean sorting = d.aggregates.stream().allMatch(a -> SORTING_RULES.contains(a.rule().name()));
        String distinctValues = loneDistinctCount(q, d);
        List<Aggregate> combined = new ArrayList<>();
        for (Aggregate a : d.aggregates) {
            combined.add(a.output().equals(distinctValues) ? AggregateRules.distinctValues(a) : a);
        }
        Set<String> kept = new LinkedHashSet<>(d.hidden);
        // how many rows entered: whether the engine sorts the groups depends on it (with aggregates it does not sort for,
        // the groups keep first appearance whatever the count); without a filter, the table's count (an O(1) count per
        // shard, reused while the table is unchanged) where each shard would count every group's rows again
        String rowsColumn = groupRows(d.aggregates, spec);
        Plan inputRows = null;
        if (rowsColumn == null && sorting && q.where() == null) {
            inputRows = tableCount(spec);
        } else if (rowsColumn == null && sorting) {
            Aggregate rows = new Aggregate(Hidden.ROWS, AggregateRules.forFunction("count"), Column.of(Hidden.SEQ));
            combined.add(rows);
            proj.addAll(rows.rule().partials(rows, true));
            kept.add(Hidden.ROWS);
            rowsColumn = Hidden.ROWS;
        }
        proj.add(new Named(Hidden.FIRST_SEQ, new Call("min", List.of(Column.of(Hidden.SEQ)))));
        // with sorting aggregates, a shard whose group-by has many rows leaves its groups' first rows out (firstsOnlyWhenSmall)
        // (with a filter the request names a local, which a column of that name would hide from its filter)
        boolean firstsWhenSmall = sorting && symbolKeys(q, spec)
                && (q.where() == null || !Schemas.columnNames(spec).contains(Hidden.PARTIALS));
        if (firstsWhenSmall) {
            kept.add(Hidden.FIRST_SEQ);
        }
        List<RowOrder.Key> order = new ArrayList<>();
        for (OrderKey k : q.order()) {
            if (!outputs.contains(k.column())) {
                return null;
            }
            order.add(new RowOrder.Key(k.column(), k.direction() == OrderKey.Direction.DESC));
        }
        if (!d.post.isEmpty() && q.projections().stream().anyMatch(p -> keyNames.contains(p.name()))) {
            return null; // a projection named like a key: the engine places or repeats that column its own way
        }
        TakeSpec take = q.take() == null ? null : new TakeSpec(q.take().start(), q.take().count());
        Map<String, RayValue> nullChecks = new LinkedHashMap<>();
        List<Named> lean = withoutNulls(proj, d.aggregates, spec, keyNames, nullChecks);
        String rowsOnShard = firstsWhenSmall ? rowsColumn : null;
        Route.UnitRequest request = grouped(q, proj, firstsWhenSmall, rowsOnShard);
        String described = describeGrouped(q, proj, firstsWhenSmall, rowsOnShard);
        if (!nullChecks.isEmpty()) {
            Route.UnitRequest full = request;
            Route.UnitRequest leanRequest = grouped(q, lean, firstsWhenSmall, rowsOnShard);
            request = u -> RayList.of(Name.of("if"), anyNull(u.global(), nullChecks), full.of(u), leanRequest.of(u));
            described += "; where " + String.join(", ", nullChecks.keySet()) + (nullChecks.size() == 1 ? " holds" : " hold")
                    + " no null on the shard: "
                    + describeGrouped(q, lean, firstsWhenSmall, rowsOnShard);
        }
        Route partials = new Route(spec.getName(), shards, request, described);
        Plan plan = new GroupCombine(partials, List.copyOf(keyNames), combined, kept, emptyGroups(spec, combined, proj));
        plan = new GroupOrder(plan, List.copyOf(keyNames), rowsColumn, inputRows, sorting, distinctValues, symbolRanks(spec),
                firstsWhenSmall ? firstAppearance(spec, shards, q, List.copyOf(keyNames)) : null);
        plan = new AggregateSource(spec.getName(), shards, q.where(), q.by()).finish(plan, d.aggregates);
        if (!d.post.isEmpty()) {
            List<String> columns = new ArrayList<>(keyNames);
            q.projections().stream().map(Named::name).filter(n -> !keyNames.contains(n)).forEach(columns::add);
            plan = postEval(plan, columns, d);
        }
        if (!order.isEmpty()) {
            plan = new Sort(plan, order);
        }
        if (take != null) {
            plan = new Limit(plan, take);
        }
        return plan;
    }

    /**
     * The output of an aggregate that is each group's row count already: a count of one of the
     * table's columns ({@code count} counts nulls too), so the shards need not count {@code __seq}
     * again; null when there is none.
     */
    private static String groupRows(List<Aggregate> aggregates, TableSpec spec) {
        AggregateRule count = AggregateRules.forFunction("count");
        for (Aggregate a : aggregates) {
            if (a.rule() == count && a.argument() instanceof Column c && Schemas.columnNames(spec).contains(c.name())) {
                return a.output();
            }
        }
        return null;
    }

    /**
     * Each shard's grouped partials: the select, or, with {@code firstsWhenSmall}, its form for
     * large shards ({@link #firstsOnlyWhenSmall}; {@code rowsColumn} counts each group's rows, read
     * when the select has a filter).
     */
    private static Route.UnitRequest grouped(SelectQuery q, List<Named> proj, boolean firstsWhenSmall, String rowsColumn) {
        return firstsWhenSmall ? firstsOnlyWhenSmall(q, proj, rowsColumn)
                : u -> new SelectQuery(Table.of(u.global()), proj, q.where(), q.by(), List.of(), null).ipc();
    }

    private static String describeGrouped(SelectQuery q, List<Named> proj, boolean firstsWhenSmall, String rowsColumn) {
        String select = describe(new SelectQuery(Table.of(SHARD), proj, q.where(), q.by(), List.of(), null));
        if (!firstsWhenSmall) {
            return select;
        }
        return select + ", without " + Hidden.FIRST_SEQ + " from " + KeyOrder.SORTED_FROM
                + (q.where() == null ? " rows of <shard>" : " rows passing the filter on <shard> (the sum of " + rowsColumn + ")");
    }

    /**
     * The shards' grouped partials when the keys are symbol columns ({@link #symbolKeys}) and every
     * aggregate is one the engine groups by sorting for. Each group's first row
     * ({@link Hidden#FIRST_SEQ}: a pass over the shard's {@code __seq}, about a third of a
     * one-aggregate group-by's time on the engine) orders the groups below
     * {@value KeyOrder#SORTED_FROM} input rows; from there the engine orders them by key unless the
     * keys do not allow it. So a shard where {@value KeyOrder#SORTED_FROM} rows or more enter the
     * group-by (the whole group-by then has at least as many) answers without it, and
     * {@link GroupOrder} asks for the first rows ({@link #firstAppearance}) only when the keys
     * leave the groups in first appearance. Without a filter the shard's row count decides
     * ({@code (if (< (count <shard>) 65536) <with> <without>)}); with one, the rows that passed it,
     * counted by {@code rowsColumn}: the select runs without the first rows, and again with them
     * (a small group-by) only when fewer passed.
     */
    private static Route.UnitRequest firstsOnlyWhenSmall(SelectQuery q, List<Named> proj, String rowsColumn) {
        List<Named> withoutFirst = proj.stream().filter(p -> !p.name().equals(Hidden.FIRST_SEQ)).toList();
        if (q.where() == null) {
            return u -> RayList.of(Name.of("if"), RayList.of(Name.of("<"),
                    RayList.of(Name.of("count"), Name.of(u.global())), I64Atom.of(KeyOrder.SORTED_FROM)),
                    new SelectQuery(Table.of(u.global()), proj, null, q.by(), List.of(), null).ipc(),
                    new SelectQuery(Table.of(u.global()), withoutFirst, null, q.by(), List.of(), null).ipc());
        }
        Name without = Name.of(Hidden.PARTIALS);
        return u -> RayList.of(Name.of("do"),
                RayList.of(Name.of("let"), without,
                        new SelectQuery(Table.of(u.global()), withoutFirst, q.where(), q.by(), List.of(), null).ipc()),
                RayList.of(Name.of("if"), RayList.of(Name.of("<"), RayList.of(Name.of("sum"),
                        RayList.of(Name.of("at"), without, Symbol.of(rowsColumn))), I64Atom.of(KeyOrder.SORTED_FROM)),
                        new SelectQuery(Table.of(u.global()), proj, q.where(), q.by(), List.of(), null).ipc(),
                        without));
    }

    /** Column types whose {@code (in <null> column)} the engine answers at once when the column holds no null (measured). */
    private static final Set<String> NULL_CHECKED_AT_ONCE = Set.of("i64", "f64", "i32", "date", "timestamp");

    /**
     * {@code proj} with the cheaper partials of the aggregates that have them when their argument
     * (a column of the table no key is named like) holds no null ({@link AggregateRule#partialsWithoutNulls}); the
     * columns to check go to {@code nullChecks} with their null. Only for types the engine checks
     * at once: a column that holds no null carries no has-nulls attribute, and
     * {@code (in 0N column)} then answers without a pass (0.5 us against 6 ms for 1.67M rows).
     */
    private static List<Named> withoutNulls(List<Named> proj, List<Aggregate> aggregates, TableSpec spec, Set<String> keyNames,
            Map<String, RayValue> nullChecks) {
        Map<String, Named> replaced = new LinkedHashMap<>();
        for (Aggregate a : aggregates) {
            List<Named> lean = a.rule().partialsWithoutNulls(a);
            // a key named like the column would leave it unclear which of the two the aggregate reads
            if (lean == null || !(a.rule().nullFreeArgument(a) instanceof Column c) || keyNames.contains(c.name())) {
                continue;
            }
            String type = Schemas.columnType(spec, c.name());
            if (type == null || !NULL_CHECKED_AT_ONCE.contains(type)) {
                continue;
            }
            nullChecks.put(c.name(), AggregateRules.nullLike(Schemas.empty(type)));
            lean.forEach(n -> replaced.put(n.name(), n));
        }
        return proj.stream().map(n -> replaced.getOrDefault(n.name(), n)).toList();
    }

    /** {@code (or (in <null> (at g 'c)) ...)}: whether any of the columns holds a null on the shard. */
    private static RayValue anyNull(String global, Map<String, RayValue> nullChecks) {
        List<RayValue> checks = new ArrayList<>();
        nullChecks.forEach((c, nil) -> checks.add(RayList.of(Name.of("in"), nil, RayList.of(Name.of("at"), Name.of(global),
                Symbol.of(c)))));
        if (checks.size() == 1) {
            return checks.get(0);
        }
        List<RayValue> or = new ArrayList<>();
        or.add(Name.of("or"));
        or.addAll(checks);
        return RayList.of(or);
    }

    /**
     * Whether every key is a symbol column of the table: then a large group-by's groups come in key
     * order (the symbols' ids on a fresh server fed the table span at most its distinct symbols,
     * fewer than its rows, except in a table built to defeat it), so the shards' first rows are
     * rarely asked for again. With other keys (integers spanning more than the rows, floats,
     * strings) first appearance is common, and asking again would scan twice.
     */
    private static boolean symbolKeys(SelectQuery q, TableSpec spec) {
        return !q.by().isEmpty() && q.by().stream().allMatch(k -> k.expr() instanceof Column c
                && Schemas.columnNames(spec).contains(c.name()) && "symbol".equals(Schemas.columnType(spec, c.name())));
    }

    /** Each group's first row over the shards, the groups in first-appearance order: what a large group-by left out. */
    private static Plan firstAppearance(TableSpec spec, int[] shards, SelectQuery q, List<String> keyNames) {
        List<Named> proj = List.of(new Named(Hidden.FIRST_SEQ, new Call("min", List.of(Column.of(Hidden.SEQ)))));
        SelectQuery firsts = new SelectQuery(Table.of(SHARD), proj, q.where(), q.by(), List.of(), null);
        Route route = new Route(spec.getName(), shards, u -> firsts.withSource(Table.of(u.global())).ipc(), describe(firsts));
        return new GroupCombine(route, keyNames, List.of(), Set.of(Hidden.FIRST_SEQ), emptyGroups(spec, List.of(), proj));
    }

    /**
     * The expressions over aggregates, computed on the scratch engine over the combined rows (one
     * per group): {@code (select {c: c ... p: (expr over __pN) ... from: combined})}, the columns
     * in the engine's order.
     */
    private static Plan postEval(Plan combined, List<String> columns, Decomposed d) {
        List<Named> proj = new ArrayList<>();
        for (String c : columns) {
            Expr post = d.post.get(c);
            proj.add(new Named(c, post == null ? Column.of(c) : post));
        }
        String input = "combined";
        RayValue tree = new SelectQuery(Table.of(input), proj, null, List.of(), List.of(), null).ipc();
        return new ScratchEval(Map.of(input, combined), tree, "expressions over aggregates");
    }

    /** The aggregates for which the engine groups by sorting (a large group-by then answers its groups in key order). */
    private static final Set<String> SORTING_RULES = Set.of("SUM", "COUNT", "MIN", "MAX", "AVG", "VAR", "VAR_POP", "DEV", "STDDEV",
            "COUNT_DISTINCT", "WAVG", "WSUM", "PROD", "PROD_SELECT", "ALL", "ANY", "COV", "SCOV", "PEARSON");

    /**
     * The output of a lone {@code (count (distinct c))} of a column by key columns, which the engine
     * orders by its own path (see {@link GroupOrder}); null for any other shape.
     */
    private static String loneDistinctCount(SelectQuery q, Decomposed d) {
        if (d.aggregates.size() != 1 || !d.post.isEmpty() || !d.hidden.isEmpty()) {
            return null;
        }
        Aggregate a = d.aggregates.get(0);
        boolean plainKeys = q.by().stream().allMatch(k -> k.expr() instanceof Column);
        return a.rule().name().equals("COUNT_DISTINCT") && a.argument() instanceof Column && plainKeys ? a.output() : null;
    }

    /** The ranks a fresh server fed {@code spec}'s table would give its symbols: per symbol column, each value's first row. */
    private static Plan symbolRanks(TableSpec spec) {
        List<Plan> columns = new ArrayList<>();
        int[] all = ShardPruning.shards(null, spec);
        for (String c : Schemas.columnNames(spec)) {
            if (!"symbol".equals(Schemas.columnType(spec, c))) {
                continue;
            }
            SelectQuery firsts = new SelectQuery(Table.of(SHARD), List.of(new Named(Hidden.FIRST_SEQ,
                    new Call("min", List.of(Column.of(Hidden.SEQ))))), null, List.of(new Named("value", Column.of(c))), List.of(), null);
            columns.add(new Route(spec.getName(), all, u -> firsts.withSource(Table.of(u.global())).ipc(), describe(firsts)));
        }
        return new Reused(new SymbolRanks(Schemas.columnNames(spec), columns), spec.getName(), spec.getCreatedEpoch());
    }

    /** A grouped select's answer with no groups: its visible columns in the shards' order, typed where known. */
    private static RayTable emptyGroups(TableSpec spec, List<Aggregate> aggs, List<Named> proj) {
        Map<String, Aggregate> byOutput = new LinkedHashMap<>();
        aggs.forEach(a -> byOutput.put(a.output(), a));
        List<String> names = new ArrayList<>();
        List<Vector> cols = new ArrayList<>();
        for (Named p : proj) {
            if (Hidden.is(p.name()) && !byOutput.containsKey(p.name())) {
                continue;
            }
            if (names.contains(p.name())) {
                continue;
            }
            names.add(p.name());
            Aggregate a = byOutput.get(p.name());
            cols.add(a == null ? Schemas.emptyTable(spec, List.of(p.expr() instanceof Column c ? c.name() : p.name())).column(0)
                    : a.rule().empty(a, null));
        }
        return RayTable.of(names, cols);
    }
}
