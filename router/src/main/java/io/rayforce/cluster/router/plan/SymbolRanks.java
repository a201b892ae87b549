package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The symbol id each symbol of a table would have on a fresh server fed that table: the symbols
 * it interned at start first ({@link FreshSymbols}), then, in the order the table arrives, its
 * column names and the values of each symbol column in column order, row by row. Each input
 * route answers, per shard, one symbol column's values with their first row sequence; the value is
 * a table of {@code value} and {@code rank}.
 */
public final class SymbolRanks implements Plan {
    private final List<String> columnNames;
    private final List<Plan> columns;

    /**
     * @param columnNames the table's column names, in order
     * @param columns per symbol column, in column order: a route of {@code (select {__first: (min __seq) by: {value: c}})}
     */
    public SymbolRanks(List<String> columnNames, List<Plan> columns) {
        this.columnNames = List.copyOf(columnNames);
        this.columns = List.copyOf(columns);
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        List<CompletableFuture<RayValue>> all = new ArrayList<>();
        for (Plan p : columns) {
            all.add(p.run(ctx, env));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApplyAsync(x -> {
            List<List<RayTable>> firsts = new ArrayList<>();
            all.forEach(f -> firsts.add(Route.tables(f.join(), "a symbol column's first rows")));
            return ranks(FreshSymbols.ids(), columnNames, firsts);
        }, env.blocking());
    }

    /** The ranks from the fresh server's ids, the column names and, per symbol column, each shard's first rows of its values. */
    static RayTable ranks(Map<String, Integer> fresh, List<String> columnNames, List<List<RayTable>> firsts) {
        Map<String, Long> rank = new LinkedHashMap<>();
        long next = fresh.size();
        for (String c : columnNames) {
            if (!fresh.containsKey(c) && !rank.containsKey(c)) {
                rank.put(c, next++);
            }
        }
        for (List<RayTable> shards : firsts) {
            Map<String, Long> first = new HashMap<>();
            for (RayTable t : shards) {
                SymbolVector v = (SymbolVector) t.column("value");
                I64Vector f = (I64Vector) t.column(Hidden.FIRST_SEQ);
                for (int i = 0; i < t.rowCount(); i++) {
                    first.merge(v.get(i), f.get(i), Math::min);
                }
            }
            List<Map.Entry<String, Long>> byRow = new ArrayList<>(first.entrySet());
            byRow.sort(Map.Entry.comparingByValue());
            for (Map.Entry<String, Long> e : byRow) {
                if (!fresh.containsKey(e.getKey()) && !rank.containsKey(e.getKey())) {
                    rank.put(e.getKey(), next++);
                }
            }
        }
        List<String> values = new ArrayList<>(fresh.keySet());
        long[] ranks = new long[values.size() + rank.size()];
        int i = 0;
        for (String v : values) {
            ranks[i++] = fresh.get(v);
        }
        for (Map.Entry<String, Long> e : rank.entrySet()) {
            values.add(e.getKey());
            ranks[i++] = e.getValue();
        }
        return RayTable.builder().column("value", SymbolVector.of(values)).column("rank", new I64Vector(ranks)).build();
    }

    @Override
    public String describe() {
        return "SymbolRanks (the ids a fresh server fed the table would give its symbols)";
    }

    @Override
    public List<Plan> inputs() {
        return columns;
    }
}
