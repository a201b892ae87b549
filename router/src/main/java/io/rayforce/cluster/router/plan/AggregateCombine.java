package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.merge.Parts;
import io.rayforce.cluster.router.merge.Vectors;
import io.rayforce.cluster.router.plan.aggregate.Aggregate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Finishes an ungrouped aggregate select: each shard answers one row of partial states, or none
 * when its table is empty (the engine answers an aggregate over an empty table with no rows,
 * over a filter that matches nothing with one); aggregates whose shards send their values
 * (median, distinct count) have a route of their own. All rows form one group; like one server,
 * the answer has one row when some shard of the table has rows and none otherwise. When the where
 * clause pruned the shards and none of those read has a row, the other shards' partials (their
 * filter matches nothing) are asked for too: they tell whether the table has rows.
 */
public final class AggregateCombine implements Plan {
    private final Plan partials;
    private final List<Aggregate> aggregates;
    private final Map<String, Plan> gathers;
    private final Plan unread;
    private final boolean rowWhenEmpty;

    /** @param gathers the route of each gathered aggregate's values, by output column */
    public AggregateCombine(Plan partials, List<Aggregate> aggregates, Map<String, Plan> gathers) {
        this(partials, aggregates, gathers, null, false);
    }

    /**
     * @param unread the partials of the shards pruning left out, run only when the shards read have
     *               no rows; null when every shard is read
     * @param rowWhenEmpty answer one row of each aggregate over no values when no shard has rows
     *                     (the engine does so for a select that computes an expression over aggregates)
     */
    public AggregateCombine(Plan partials, List<Aggregate> aggregates, Map<String, Plan> gathers, Plan unread,
                            boolean rowWhenEmpty) {
        this.partials = partials;
        this.aggregates = List.copyOf(aggregates);
        this.gathers = new LinkedHashMap<>(gathers);
        this.unread = unread;
        this.rowWhenEmpty = rowWhenEmpty;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        CompletableFuture<RayValue> main = partials.run(ctx, env);
        Map<String, CompletableFuture<RayValue>> gathered = new LinkedHashMap<>();
        gathers.forEach((name, p) -> gathered.put(name, p.run(ctx, env)));
        List<CompletableFuture<?>> all = new ArrayList<>(gathered.values());
        all.add(main);
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenCompose(x -> {
            Map<String, RayList> values = new LinkedHashMap<>();
            gathered.forEach((n, f) -> values.put(n, (RayList) f.join()));
            List<RayTable> tables = Route.tables(main.join(), "an aggregate select");
            if (unread == null || tables.stream().anyMatch(t -> t.rowCount() > 0)) {
                return CompletableFuture.completedFuture(combine(tables, values));
            }
            return unread.run(ctx, env).thenApply(v -> {
                List<RayTable> every = new ArrayList<>(tables);
                every.addAll(Route.tables(v, "an aggregate select"));
                return combine(every, values);
            });
        });
    }

    RayTable combine(List<RayTable> tables, Map<String, RayList> gatheredValues) {
        List<RayTable> withRows = tables.stream().filter(t -> t.rowCount() > 0).toList();
        List<String> names = new ArrayList<>();
        List<Vector> cols = new ArrayList<>();
        if (withRows.isEmpty()) {
            RayTable shape = tables.isEmpty() ? null : tables.get(0);
            for (Aggregate a : aggregates) {
                names.add(a.output());
                Vector empty = a.rule().empty(a, shape);
                cols.add(rowWhenEmpty ? Vectors.of(a.rule().overNothing(a, empty)) : empty);
            }
            return RayTable.of(names, cols);
        }
        RayTable all = new Parts(withRows).all();
        int[] everyRow = new int[all.rowCount()];
        for (int i = 0; i < everyRow.length; i++) {
            everyRow[i] = i;
        }
        for (Aggregate a : aggregates) {
            names.add(a.output());
            RayList values = gatheredValues.get(a.output());
            if (values == null) {
                cols.add(a.rule().combine(a, all, new int[][] {everyRow}));
                continue;
            }
            // one row per shard, holding that shard's values
            for (int i = 0; i < values.length(); i++) {
                if (!(values.get(i) instanceof Vector)) {
                    throw new ClusterQueryError("gathering " + a.output() + " gave a " + values.get(i).type().rayfallName());
                }
            }
            int[] shardRows = new int[values.length()];
            for (int i = 0; i < shardRows.length; i++) {
                shardRows[i] = i;
            }
            RayTable byShard = RayTable.of(List.of(a.output()), List.of(values));
            cols.add(a.rule().combine(a, byShard, new int[][] {shardRows}));
        }
        return RayTable.of(names, cols);
    }

    @Override
    public String describe() {
        return "AggregateCombine " + aggregates + (unread == null ? "" : ", the last route only when the first has no rows");
    }

    @Override
    public List<Plan> inputs() {
        List<Plan> out = new ArrayList<>();
        out.add(partials);
        out.addAll(gathers.values());
        if (unread != null) {
            out.add(unread);
        }
        return out;
    }
}
