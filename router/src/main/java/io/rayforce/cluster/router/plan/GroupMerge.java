package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.merge.Aggregate;
import io.rayforce.cluster.router.merge.Combiner;
import io.rayforce.cluster.router.merge.Parts;
import io.rayforce.cluster.router.merge.TakeSpec;
import io.rayforce.cluster.router.merge.ValueOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A grouped aggregate select: each shard groups its rows and returns the group keys, partial
 * states and the first row sequence of each group; the router joins equal keys across shards,
 * finishes the aggregates, orders the groups by first appearance in the data (the order one
 * freshly loaded server returns), then applies the select's sort and take.
 */
public final class GroupMerge implements Plan {
    /** The hidden column with each group's smallest row sequence. */
    public static final String FIRST_SEQ = "__first";

    private final ShardFanout partials;
    private final List<String> keys;
    private final List<Aggregate> aggregates;
    private final List<SortKey> order;
    private final TakeSpec take;

    public GroupMerge(ShardFanout partials, List<String> keys, List<Aggregate> aggregates, List<SortKey> order, TakeSpec take) {
        this.partials = partials;
        this.keys = List.copyOf(keys);
        this.aggregates = List.copyOf(aggregates);
        this.order = List.copyOf(order);
        this.take = take;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return partials.run(ctx, env).thenApply(this::merge);
    }

    RayTable merge(List<RayTable> tables) {
        if (tables.isEmpty()) {
            return null;
        }
        Parts parts = new Parts(tables);
        RayTable all = parts.all();
        List<Vector> keyCols = keys.stream().map(all::column).toList();
        I64Vector firstSeq = (I64Vector) all.column(FIRST_SEQ);

        // group the partial rows by key across shards
        Map<GroupKey, List<Integer>> byKey = new HashMap<>();
        List<GroupKey> groupOrder = new ArrayList<>();
        for (int r = 0; r < all.rowCount(); r++) {
            GroupKey k = new GroupKey(keyCols, r);
            List<Integer> rows = byKey.get(k);
            if (rows == null) {
                rows = new ArrayList<>();
                byKey.put(k, rows);
                groupOrder.add(k);
            }
            rows.add(r);
        }
        int g = groupOrder.size();
        int[][] groups = new int[g][];
        long[] first = new long[g];
        for (int i = 0; i < g; i++) {
            List<Integer> rows = byKey.get(groupOrder.get(i));
            groups[i] = rows.stream().mapToInt(Integer::intValue).toArray();
            long f = Long.MAX_VALUE;
            for (int r : groups[i]) {
                f = Math.min(f, firstSeq.get(r));
            }
            first[i] = f;
        }
        // first appearance in the data
        Integer[] idx = new Integer[g];
        for (int i = 0; i < g; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingLong(i -> first[i]));
        int[][] ordered = new int[g][];
        for (int i = 0; i < g; i++) {
            ordered[i] = groups[idx[i]];
        }

        // assemble the visible columns in the shards' column order
        List<String> names = Tables.visible(all);
        Map<String, Aggregate> aggByName = new HashMap<>();
        aggregates.forEach(a -> aggByName.put(a.output(), a));
        int[] firstRows = new int[g];
        for (int i = 0; i < g; i++) {
            firstRows[i] = ordered[i][0];
        }
        List<Vector> cols = new ArrayList<>(names.size());
        for (String n : names) {
            Aggregate a = aggByName.get(n);
            if (a == null) {
                cols.add(all.column(n).gather(firstRows)); // a group key, equal across the group's rows
            } else {
                cols.add(Combiner.finish(a, all, ordered, a.kind().gathersValues() ? gathered(all.column(n), ordered) : null));
            }
        }
        RayTable result = RayTable.of(names, cols);
        return sortAndTake(result);
    }

    private static List<List<Vector>> gathered(Vector listColumn, int[][] groups) {
        List<List<Vector>> out = new ArrayList<>(groups.length);
        for (int[] rows : groups) {
            List<Vector> vs = new ArrayList<>(rows.length);
            for (int r : rows) {
                vs.add(Combiner.listItem(listColumn, r));
            }
            out.add(vs);
        }
        return out;
    }

    private RayTable sortAndTake(RayTable t) {
        int n = t.rowCount();
        int[] rows = Tables.range(0, n);
        if (!order.isEmpty()) {
            List<Vector> cols = order.stream().map(k -> t.column(k.column())).toList();
            Integer[] boxed = Arrays.stream(rows).boxed().toArray(Integer[]::new);
            Arrays.sort(boxed, (a, b) -> {
                for (int i = 0; i < cols.size(); i++) {
                    int c = ValueOrder.compare(cols.get(i), a, cols.get(i), b);
                    if (c != 0) {
                        return order.get(i).descending() ? -c : c;
                    }
                }
                return 0; // stable: ties keep first-appearance order
            });
            rows = Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
        }
        if (take != null) {
            int[] r = take.range(n);
            rows = Arrays.copyOfRange(rows, r[0], r[1]);
        }
        return order.isEmpty() && take == null ? t : t.gather(rows);
    }

    @Override
    public String explain() {
        return "GroupMerge by " + keys + " " + aggregates.stream().map(a -> a.output() + "=" + a.kind()).toList()
                + " in first-appearance order" + (order.isEmpty() ? "" : ", then " + order)
                + (take == null ? "" : ", take " + take.count()) + "\n  " + partials.explain();
    }

    /** A group key: the values of the key columns at one row; nulls equal nulls. */
    private static final class GroupKey {
        private final List<Vector> cols;
        private final int row;
        private final int hash;

        GroupKey(List<Vector> cols, int row) {
            this.cols = cols;
            this.row = row;
            int h = 1;
            for (Vector c : cols) {
                h = 31 * h + c.at(row).hashCode();
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof GroupKey k)) {
                return false;
            }
            for (int i = 0; i < cols.size(); i++) {
                if (!ValueOrder.same(cols.get(i), row, k.cols.get(i), k.row)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
