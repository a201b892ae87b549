package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.plan.aggregate.AggregateRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The order of a group-by's groups, as one server gives it. Below {@value KeyOrder#SORTED_FROM}
 * rows entering the group-by (after its filter), or with an aggregate the engine does not group
 * by sorting for (first, last, median), the groups come in order of first appearance; otherwise
 * {@link KeyOrder} decides from the keys and the row count. One shape has its own path on the
 * engine: a lone {@code (count (distinct c))} of a column by key columns groups the rows by the
 * keys and c first, then those pairs by the keys; for it the input holds each group's distinct
 * values of c (a list column, {@code distinctValues}), counted here once the order is known.
 * The input is the combined groups in first-appearance order with each group's row count (in
 * {@link Hidden#ROWS}, which is dropped (other hidden columns are kept), or in the select's own
 * count of a column, which is that count; without a filter the table's row count is asked
 * instead), or, when large shards left
 * their groups' first rows out (no {@link Hidden#FIRST_SEQ} column), in no particular order: then,
 * if the keys leave the groups in first appearance, their first rows are asked for.
 */
public final class GroupOrder implements Plan {
    private final Plan groups;
    private final List<String> keys;
    private final String rowsColumn;
    private final Plan inputRows;
    private final boolean sortingAggregates;
    private final String distinctValues;
    private final Plan symbolRanks;
    private final Plan firsts;

    /**
     * @param rowsColumn the column holding each group's row count (read only with {@code sortingAggregates}), or
     *                   null when {@code inputRows} counts them
     * @param inputRows  how many rows entered the group-by (an i64 atom), asked when the groups are sorted and
     *                   {@code rowsColumn} is null
     * @param sortingAggregates every aggregate is one the engine groups by sorting for
     * @param distinctValues the column holding each group's distinct values of a lone distinct count, or null
     * @param symbolRanks the ranks of the table's symbols ({@link SymbolRanks}), asked only when a symbol key needs them
     * @param firsts each group's first row over the shards, in first-appearance order (keys and
     *               {@link Hidden#FIRST_SEQ}), asked only when the groups arrive without their first
     *               rows and the keys leave them in first appearance; null when they always arrive with them
     */
    public GroupOrder(Plan groups, List<String> keys, String rowsColumn, Plan inputRows, boolean sortingAggregates,
            String distinctValues, Plan symbolRanks, Plan firsts) {
        this.groups = groups;
        this.keys = List.copyOf(keys);
        this.rowsColumn = rowsColumn;
        this.inputRows = inputRows;
        this.sortingAggregates = sortingAggregates;
        this.distinctValues = distinctValues;
        this.symbolRanks = symbolRanks;
        this.firsts = firsts;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return groups.run(ctx, env).thenCompose(v -> {
            RayTable t = (RayTable) v;
            if (!sortingAggregates || t.rowCount() < 2) {
                return CompletableFuture.completedFuture(finish(t, null));
            }
            CompletableFuture<Long> inputs = rowsColumn != null ? CompletableFuture.completedFuture(rows(t))
                    : inputRows.run(ctx, env).thenApply(n -> ((I64Atom) n).value());
            return inputs.thenCompose(rows -> ordered(t, rows, ctx, env));
        });
    }

    /** {@code t}'s groups in one server's order, {@code rows} having entered the group-by. */
    private CompletableFuture<RayValue> ordered(RayTable t, long rows, QueryContext ctx, PlanEnv env) {
        if (rows < KeyOrder.SORTED_FROM) {
            // below SORTED_FROM rows every shard had fewer and sent its groups' first rows
            return CompletableFuture.completedFuture(finish(t, null));
        }
        CompletableFuture<int[]> order = !needsRanks(t) ? CompletableFuture.completedFuture(order(t, rows, Map.of()))
                : symbolRanks.run(ctx, env).thenApplyAsync(r -> order(t, rows, ranks((RayTable) r)), env.blocking());
        return order.thenCompose(o -> {
            if (o != null || firsts == null || t.hasColumn(Hidden.FIRST_SEQ)) {
                return CompletableFuture.completedFuture(finish(t, o));
            }
            // first appearance, which the shards left out: asked for now
            return firsts.run(ctx, env).thenApplyAsync(f -> finish(t, byFirsts(t, (RayTable) f)), env.blocking());
        });
    }

    /** The groups of {@code t} in the order of {@code firstAppearance}'s keys (groups it lacks last, as they are). */
    private int[] byFirsts(RayTable t, RayTable firstAppearance) {
        List<Vector> fk = keys.stream().map(firstAppearance::column).toList();
        Map<GroupCombine.GroupKey, Integer> position = new HashMap<>(firstAppearance.rowCount() * 2);
        for (int r = 0; r < firstAppearance.rowCount(); r++) {
            position.putIfAbsent(new GroupCombine.GroupKey(fk, r), r);
        }
        List<Vector> tk = keys.stream().map(t::column).toList();
        Integer[] idx = new Integer[t.rowCount()];
        long[] at = new long[t.rowCount()];
        for (int r = 0; r < idx.length; r++) {
            idx[r] = r;
            Integer p = position.get(new GroupCombine.GroupKey(tk, r));
            at[r] = p == null ? Long.MAX_VALUE : p;
        }
        Arrays.sort(idx, Comparator.comparingLong(r -> at[r]));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    private long rows(RayTable t) {
        long rows = 0;
        I64Vector counts = (I64Vector) t.column(rowsColumn);
        for (int i = 0; i < counts.length(); i++) {
            rows += counts.get(i);
        }
        return rows;
    }

    private boolean needsRanks(RayTable t) {
        if (keys.stream().anyMatch(k -> t.column(k) instanceof SymbolVector)) {
            return true;
        }
        if (distinctValues != null && t.column(distinctValues) instanceof RayList groups) {
            for (int g = 0; g < groups.length(); g++) {
                if (parts(groups, g).stream().anyMatch(v -> v instanceof SymbolVector)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Group {@code g}'s distinct values, as the shards sent them. */
    private static List<Vector> parts(RayList groups, int g) {
        RayList l = (RayList) groups.get(g);
        List<Vector> out = new ArrayList<>();
        for (int i = 0; i < l.length(); i++) {
            out.add((Vector) l.get(i));
        }
        return out;
    }

    private static Map<String, Long> ranks(RayTable r) {
        SymbolVector v = (SymbolVector) r.column("value");
        I64Vector rank = (I64Vector) r.column("rank");
        Map<String, Long> out = new HashMap<>(v.length() * 2);
        for (int i = 0; i < v.length(); i++) {
            out.put(v.get(i), rank.get(i));
        }
        return out;
    }

    /** The engine's order of the groups as indexes into {@code t}, or null for first appearance. */
    int[] order(RayTable t, long rows, Map<String, Long> symbolRanks) {
        List<KeyOrder.Column> cols = new ArrayList<>();
        for (String k : keys) {
            KeyOrder.Column c = KeyOrder.Column.of(t.column(k), symbolRanks);
            if (c == null) {
                return null;
            }
            cols.add(c);
        }
        if (distinctValues == null) {
            return KeyOrder.order(cols, t.rowCount(), rows);
        }
        return pairsThenKeys(t, cols, rows, symbolRanks);
    }

    /**
     * A lone distinct count's order: the (keys, value) pairs in their group-by's order; the groups
     * in order of first appearance there, unless the pairs are enough rows to be sorted again.
     */
    private int[] pairsThenKeys(RayTable t, List<KeyOrder.Column> keyCols, long rows, Map<String, Long> symbolRanks) {
        RayList groups = (RayList) t.column(distinctValues);
        List<Integer> pairGroup = new ArrayList<>();
        List<Long> pairValue = new ArrayList<>();
        List<Boolean> pairNull = new ArrayList<>();
        for (int g = 0; g < groups.length(); g++) {
            Set<List<Object>> seen = new HashSet<>();
            for (Vector v : parts(groups, g)) {
                KeyOrder.Column c = KeyOrder.Column.of(v, symbolRanks);
                if (c == null) {
                    return null; // a value the engine does not sort: pairs, and so groups, in first appearance
                }
                for (int i = 0; i < v.length(); i++) {
                    if (seen.add(c.identity(i))) {
                        pairGroup.add(g);
                        pairValue.add(c.values()[i]);
                        pairNull.add(c.nulls()[i]);
                    }
                }
            }
        }
        int[] groupOfPair = pairGroup.stream().mapToInt(Integer::intValue).toArray();
        boolean[] nulls = new boolean[groupOfPair.length];
        for (int i = 0; i < nulls.length; i++) {
            nulls[i] = pairNull.get(i);
        }
        List<KeyOrder.Column> pairCols = new ArrayList<>();
        for (KeyOrder.Column c : keyCols) {
            pairCols.add(c.gather(groupOfPair));
        }
        pairCols.add(new KeyOrder.Column(pairValue.stream().mapToLong(Long::longValue).toArray(), nulls));
        int[] pairOrder = KeyOrder.order(pairCols, groupOfPair.length, rows);
        int[] again = KeyOrder.order(keyCols, t.rowCount(), groupOfPair.length);
        if (again != null) {
            return again;
        }
        if (pairOrder == null) {
            return null;
        }
        int[] out = new int[t.rowCount()];
        boolean[] placed = new boolean[t.rowCount()];
        int n = 0;
        for (int p : pairOrder) {
            int g = groupOfPair[p];
            if (!placed[g]) {
                placed[g] = true;
                out[n++] = g;
            }
        }
        return out;
    }

    /** {@code t} in {@code order} (null: as it is), without the row counts, a lone distinct count counted. */
    private RayTable finish(RayTable t, int[] order) {
        RayTable ordered = order == null ? t : t.gather(order);
        List<String> names = new ArrayList<>();
        List<Vector> cols = new ArrayList<>();
        for (String n : ordered.columnNames()) {
            if (n.equals(Hidden.ROWS) || n.equals(Hidden.FIRST_SEQ)) {
                continue;
            }
            names.add(n);
            // a permutation of the rows gets fresh attributes: a grouped answer's are set again
            cols.add(n.equals(distinctValues) ? counts(ordered.column(n)) : GroupCombine.grouped(ordered.column(n)));
        }
        return RayTable.of(names, cols);
    }

    private static Vector counts(Vector lists) {
        if (!(lists instanceof RayList l)) {
            return lists; // no groups: already the count column's empty form
        }
        long[] out = new long[l.length()];
        for (int g = 0; g < out.length; g++) {
            out[g] = AggregateRules.distinctCount(parts(l, g));
        }
        return new I64Vector(out);
    }

    @Override
    public String describe() {
        return "GroupOrder: as one server orders the groups (first appearance, or by the keys from " + KeyOrder.SORTED_FROM
                + " input rows)" + (sortingAggregates ? "" : " (here first appearance: an aggregate the engine does not sort for)")
                + (distinctValues == null ? "" : " (a lone distinct count: by the key and value pairs first)");
    }

    @Override
    public List<Plan> inputs() {
        List<Plan> in = new ArrayList<>(List.of(groups));
        if (inputRows != null) {
            in.add(inputRows);
        }
        if (symbolRanks != null) {
            in.add(symbolRanks);
        }
        if (firsts != null) {
            in.add(firsts);
        }
        return in;
    }
}
