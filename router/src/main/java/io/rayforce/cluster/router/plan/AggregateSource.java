package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.InlineSource;
import io.rayforce.cluster.client.query.Join;
import io.rayforce.cluster.client.query.JoinKind;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.query.SelectQuery;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.exec.ReplicaChoice;
import io.rayforce.cluster.router.exec.UnitId;
import io.rayforce.cluster.router.plan.aggregate.Aggregate;
import io.rayforce.cluster.router.plan.aggregate.AggregateRule;
import io.rayforce.cluster.router.plan.aggregate.Ranked;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The rows a select's aggregates range over, where they live: a table's shards (those its filter
 * reads), the filter, the group keys. Asks those shards what {@link RankSelect} and
 * {@link ModeCombine} need after the combine, one request per shard like a {@link Route}, and
 * counts what the answers move under the operator that asked. Per-group parameters (a rank
 * search's range and pivots) go with the request as a table, inner-joined on the keys with each
 * shard's rows, so only the groups still open are searched.
 */
public final class AggregateSource implements RankSelect.Shards, ModeCombine.Shards {
    /** How explain shows a shard's global. */
    private static final String SHARD = "x_shard_x";
    private final String table;
    private final int[] shards;
    private final Expr where;
    private final List<Named> keys;

    /**
     * @param where the select's filter over the stored table, or null
     * @param keys the select's group keys (name and expression), none for an ungrouped select
     */
    public AggregateSource(String table, int[] shards, Expr where, List<Named> keys) {
        this.table = table;
        this.shards = shards.clone();
        this.where = where;
        this.keys = List.copyOf(keys);
    }

    /**
     * {@code combined} (the combined partials of {@code aggregates}) with the aggregates that ask
     * these rows again finished: {@link RankSelect} for the ranked ones, {@link ModeCombine} for mode.
     */
    public Plan finish(Plan combined, List<Aggregate> aggregates) {
        List<Aggregate> ranked = aggregates.stream().filter(a -> a.rule().finish() == AggregateRule.Finish.RANK_SELECT).toList();
        List<Aggregate> modes = aggregates.stream().filter(a -> a.rule().finish() == AggregateRule.Finish.MODE_COMBINE).toList();
        Plan out = ranked.isEmpty() ? combined : new RankSelect(combined, ranked, this);
        return modes.isEmpty() ? out : new ModeCombine(out, modes, this);
    }

    /** {@code combined} with the columns {@code finished} names replaced, once all are finished. */
    static CompletableFuture<RayValue> replacing(RayTable combined, Map<String, CompletableFuture<Vector>> finished) {
        return CompletableFuture.allOf(finished.values().toArray(new CompletableFuture<?>[0])).thenApply(x -> {
            List<Vector> cols = new ArrayList<>(combined.columns());
            finished.forEach((name, f) -> cols.set(combined.columnNames().indexOf(name), f.join()));
            return RayTable.of(combined.columnNames(), cols);
        });
    }

    @Override
    public List<String> keyNames() {
        return keys.stream().map(Named::name).toList();
    }

    @Override
    public CompletableFuture<List<RayTable>> ask(QueryContext ctx, PlanEnv env, Plan step, RankSelect.Round round) {
        return run(ctx, env, step, g -> request(g, round));
    }

    @Override
    public CompletableFuture<List<RayTable>> ask(QueryContext ctx, PlanEnv env, Plan step, Aggregate mode) {
        return run(ctx, env, step, g -> modeRequest(g, mode).ipc());
    }

    /** The request of one round on the shard whose global is {@code global}. */
    RayValue request(String global, RankSelect.Round round) {
        Aggregate a = round.aggregate();
        if (round.engine()) {
            // values the cluster cannot rank: the engine's own aggregate, for its own answer (its error)
            Expr call = ((Ranked) a.rule()).call(a);
            return new SelectQuery(Table.of(global), List.of(new Named(RankSelect.VALUES, call)), where, List.of(), List.of(), null)
                    .ipc();
        }
        RayTable groups = round.groups();
        Column x = Column.of(RankSelect.VALUE);
        List<Named> proj = new ArrayList<>();
        if (round.buckets() > 0) {
            proj.add(new Named(RankSelect.BUCKET_COUNT, call("count", x)));
            proj.add(new Named(RankSelect.BUCKET_MIN, call("min", x)));
            proj.add(new Named(RankSelect.BUCKET_MAX, call("max", x)));
        }
        if (keys.isEmpty()) {
            Expr lo = new Literal(groups.column(RankSelect.LO).at(0));
            Expr hi = new Literal(groups.column(RankSelect.HI).at(0));
            Expr inRange = and(call(">=", a.argument(), lo), call("<=", a.argument(), hi));
            if (round.buckets() > 0) {
                // (select {__n: (count __x) .. by: {__b: (as 'I64 (floor (* (- __x lo) scale)))} from: <values in range>})
                Named bucket = new Named(RankSelect.BUCKET, bucket(x, lo, new Literal(groups.column(RankSelect.SCALE).at(0))));
                SelectQuery values = rows(global, a.argument(), List.of(), inRange, RankSelect.VALUE);
                return new SelectQuery(values, proj, null, List.of(bucket), List.of(), null).ipc();
            }
            if (round.pivots() == 0) {
                return rows(global, a.argument(), List.of(), inRange, RankSelect.VALUES).ipc();
            }
            for (int j = 0; j < round.pivots(); j++) {
                Expr p = new Literal(groups.column(RankSelect.pivot(j)).at(0));
                proj.add(new Named(RankSelect.count(j), call("sum", call("<", x, p))));
            }
            SelectQuery values = rows(global, a.argument(), List.of(), inRange, RankSelect.VALUE);
            return new SelectQuery(values, proj, null, List.of(), List.of(), null).ipc();
        }
        // only rows in the union of the open ranges meet the join (after a few rounds, few of them)
        Vector los = groups.column(RankSelect.LO);
        Vector his = groups.column(RankSelect.HI);
        int least = 0;
        int most = 0;
        for (int i = 1; i < los.length(); i++) {
            least = SortableValues.key(los, i) < SortableValues.key(los, least) ? i : least;
            most = SortableValues.key(his, i) > SortableValues.key(his, most) ? i : most;
        }
        Expr union = and(call(">=", a.argument(), new Literal(los.at(least))), call("<=", a.argument(), new Literal(his.at(most))));
        if (round.shared()) {
            // the first round: every group's range is all its values, one scale for all, no join
            Named bucket = new Named(RankSelect.BUCKET, bucket(x, new Literal(los.at(least)),
                    new Literal(groups.column(RankSelect.SCALE).at(0))));
            List<Named> by = new ArrayList<>(keys.stream().map(k -> Column.of(k.name()).named()).toList());
            by.add(bucket);
            return new SelectQuery(rows(global, a.argument(), keys, union, RankSelect.VALUE), proj, null, by, List.of(), null).ipc();
        }
        Join joined = new Join(JoinKind.INNER, keyNames(), rows(global, a.argument(), keys, union, RankSelect.VALUE),
                new InlineSource(groups));
        Expr inRange = and(call(">=", x, Column.of(RankSelect.LO)), call("<=", x, Column.of(RankSelect.HI)));
        if (round.pivots() == 0 && round.buckets() == 0) {
            proj.add(new Named(RankSelect.VALUES, x));
        }
        for (int j = 0; j < round.pivots(); j++) {
            proj.add(new Named(RankSelect.count(j), call("sum", call("<", x, Column.of(RankSelect.pivot(j))))));
        }
        List<Named> by = new ArrayList<>(keys.stream().map(k -> Column.of(k.name()).named()).toList());
        if (round.buckets() > 0) {
            by.add(new Named(RankSelect.BUCKET, bucket(x, Column.of(RankSelect.LO), Column.of(RankSelect.SCALE))));
        }
        return new SelectQuery(joined, proj, inRange, by, List.of(), null).ipc();
    }

    /** A value's bucket, {@code (as 'I64 (floor (* (- x lo) scale)))}: it grows with the value. */
    private static Expr bucket(Expr x, Expr lo, Expr scale) {
        return call("as", new Literal(io.rayforce.cluster.client.value.Symbol.of("I64")), call("floor", call("*", call("-", x, lo),
                scale)));
    }

    /** {@code (select {k: .. name: value from: global where: (and where extra)})}. */
    private SelectQuery rows(String global, Expr value, List<Named> withKeys, Expr extra, String name) {
        List<Named> proj = new ArrayList<>(withKeys);
        proj.add(new Named(name, value));
        return new SelectQuery(Table.of(global), proj, and(where, extra), List.of(), List.of(), null);
    }

    /**
     * Each shard's count and first row of each value per group, nulls included (the mode decides
     * what it counts): {@code (select {__n: (count __seq) __f: (min __seq) by: {keys.. __v: x} ...})}.
     */
    SelectQuery modeRequest(String global, Aggregate mode) {
        List<Named> proj = List.of(new Named(ModeCombine.COUNT, call("count", Column.of(Hidden.SEQ))),
                new Named(ModeCombine.FIRST, call("min", Column.of(Hidden.SEQ))));
        List<Named> by = new ArrayList<>(keys);
        by.add(new Named(ModeCombine.VALUE, mode.argument()));
        return new SelectQuery(Table.of(global), proj, where, by, List.of(), null);
    }

    private static Expr and(Expr a, Expr b) {
        return a == null ? b : b == null ? a : call("and", a, b);
    }

    private static Call call(String f, Expr... args) {
        return new Call(f, List.of(args));
    }

    private CompletableFuture<List<RayTable>> run(QueryContext ctx, PlanEnv env, Plan step, Function<String, RayValue> request) {
        List<UnitId> units = new ArrayList<>(shards.length);
        for (int s : shards) {
            units.add(new UnitId(table, s, ctx.epoch()));
        }
        String what = step.describe();
        return env.executor().runAll(ctx, units, u -> request.apply(u.global()), ReplicaChoice.ANY,
                v -> ctx.admitToRouter(step, what, v)).thenApply(r -> Route.tables(RayList.of(r.values()), what));
    }

    @Override
    public String describe() {
        SelectQuery shape = new SelectQuery(Table.of(SHARD), List.of(), where, keys, List.of(), null);
        return table + " shards " + Route.ranges(shards) + ", rows of " + shape.toString().replace(SHARD, "<shard>");
    }
}
