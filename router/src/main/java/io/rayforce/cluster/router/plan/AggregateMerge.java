package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.merge.Aggregate;
import io.rayforce.cluster.router.merge.Combiner;
import io.rayforce.cluster.router.merge.Parts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An ungrouped aggregate select: each shard returns one row of partial states (none when its
 * table is empty), gathered aggregates (median, distinct count) fetch their values in separate
 * fan-outs, and the router finishes every aggregate. Like one server, the answer has one row
 * when the table has any rows and none when it is empty.
 */
public final class AggregateMerge implements Plan {
    private final ShardFanout partials;
    private final List<Aggregate> aggregates;
    private final Map<String, ShardFanout> gathers;

    /** @param gathers one fan-out of value vectors per gathered aggregate, by output name */
    public AggregateMerge(ShardFanout partials, List<Aggregate> aggregates, Map<String, ShardFanout> gathers) {
        this.partials = partials;
        this.aggregates = List.copyOf(aggregates);
        this.gathers = new LinkedHashMap<>(gathers);
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        CompletableFuture<List<RayTable>> main = partials.run(ctx, env);
        Map<String, CompletableFuture<List<RayValue>>> gathered = new LinkedHashMap<>();
        gathers.forEach((name, f) -> gathered.put(name, f.runValues(ctx, env)));
        CompletableFuture<?>[] all = new CompletableFuture<?>[gathered.size() + 1];
        all[0] = main;
        int i = 1;
        for (CompletableFuture<List<RayValue>> f : gathered.values()) {
            all[i++] = f;
        }
        return CompletableFuture.allOf(all).thenApply(x -> finish(main.join(), gathered));
    }

    private RayTable finish(List<RayTable> tables, Map<String, CompletableFuture<List<RayValue>>> gathered) {
        List<String> names = new ArrayList<>();
        List<Vector> cols = new ArrayList<>();
        boolean anyRows = tables.stream().anyMatch(t -> t.rowCount() > 0);
        List<RayTable> withRows = tables.stream().filter(t -> t.rowCount() > 0).toList();
        Parts parts = anyRows ? new Parts(withRows) : null;
        int[][] groups = anyRows ? new int[][] {Tables.range(0, parts.totalRows())} : new int[0][];
        for (Aggregate a : aggregates) {
            names.add(a.output());
            if (!anyRows) {
                cols.add(emptyColumn(a, tables));
                continue;
            }
            List<List<Vector>> values = null;
            if (a.kind().gathersValues()) {
                List<Vector> vs = new ArrayList<>();
                for (RayValue v : gathered.get(a.output()).join()) {
                    if (!(v instanceof Vector vec)) {
                        throw new ClusterQueryError("gathering " + a.output() + " gave a " + v.type().rayfallName());
                    }
                    vs.add(vec);
                }
                values = List.of(vs);
            }
            cols.add(Combiner.finish(a, parts.all(), groups, values));
        }
        return RayTable.of(names, cols);
    }

    /** The typed empty column of an aggregate over an empty table. */
    private static Vector emptyColumn(Aggregate a, List<RayTable> tables) {
        return switch (a.kind()) {
            case AVG, VAR, VAR_POP, DEV, STDDEV, MEDIAN -> F64Vector.of();
            case COUNT, COUNT_DISTINCT -> I64Vector.of();
            default -> tables.isEmpty() ? I64Vector.of() : tables.get(0).column(a.output());
        };
    }

    @Override
    public String explain() {
        StringBuilder sb = new StringBuilder("AggregateMerge " + aggregates.stream().map(a -> a.output() + "=" + a.kind())
                .toList() + "\n  " + partials.explain());
        gathers.forEach((n, f) -> sb.append("\n  ").append(f.explain()));
        return sb.toString();
    }
}
