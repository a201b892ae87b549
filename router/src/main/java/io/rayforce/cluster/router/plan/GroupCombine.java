package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayType;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.merge.Parts;
import io.rayforce.cluster.router.merge.ValueOrder;
import io.rayforce.cluster.router.plan.aggregate.Aggregate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Combines the shards' grouped partial states (vtgate's OrderedAggregate): rows with equal group
 * keys (nulls equal nulls) across shards form one group; each aggregate is finished by its rule;
 * groups come in the order of their first appearance in the data ({@link Hidden#FIRST_SEQ}, kept
 * in the answer when asked to), the order one freshly loaded server returns; when a shard answered
 * without it, in the order of the answers, with no {@link Hidden#FIRST_SEQ} column. The visible columns keep the shards' column order.
 * No answers: the {@code empty} table.
 */
public final class GroupCombine extends ShardMerge {
    private final List<String> keys;
    private final List<Aggregate> aggregates;
    private final Set<String> kept;

    public GroupCombine(Plan input, List<String> keys, List<Aggregate> aggregates, RayTable empty) {
        this(input, keys, aggregates, Set.of(), empty);
    }

    /** @param kept hidden aggregates to keep in the answer (for an expression over them computed next) */
    public GroupCombine(Plan input, List<String> keys, List<Aggregate> aggregates, Set<String> kept, RayTable empty) {
        super(input, "a grouped select", empty);
        this.keys = List.copyOf(keys);
        this.aggregates = List.copyOf(aggregates);
        this.kept = Set.copyOf(kept);
    }

    @Override
    RayTable merge(List<RayTable> tables) {
        // a large shard may answer without its groups' first rows (SelectPlanner.firstsOnlyWhenSmall): then
        // the groups come in the order of the answers and GroupOrder orders them
        boolean firsts = tables.stream().allMatch(t -> t.hasColumn(Hidden.FIRST_SEQ));
        RayTable all = new Parts(firsts ? tables : tables.stream().map(GroupCombine::withoutFirsts).toList()).all();
        List<Vector> keyCols = keys.stream().map(all::column).toList();
        Map<GroupKey, List<Integer>> byKey = new HashMap<>();
        List<GroupKey> seen = new ArrayList<>();
        for (int r = 0; r < all.rowCount(); r++) {
            GroupKey k = new GroupKey(keyCols, r);
            byKey.computeIfAbsent(k, x -> {
                seen.add(x);
                return new ArrayList<>();
            }).add(r);
        }
        I64Vector firstSeq = firsts ? (I64Vector) all.column(Hidden.FIRST_SEQ) : null;
        int g = seen.size();
        int[][] groups = new int[g][];
        long[] first = new long[g];
        for (int i = 0; i < g; i++) {
            groups[i] = byKey.get(seen.get(i)).stream().mapToInt(Integer::intValue).toArray();
            long f = firsts ? Long.MAX_VALUE : i;
            for (int j = 0; firsts && j < groups[i].length; j++) {
                f = Math.min(f, firstSeq.get(groups[i][j]));
            }
            first[i] = f;
        }
        Integer[] idx = new Integer[g];
        for (int i = 0; i < g; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingLong(i -> first[i]));
        int[][] ordered = new int[g][];
        int[] firstRows = new int[g];
        for (int i = 0; i < g; i++) {
            ordered[i] = groups[idx[i]];
            firstRows[i] = ordered[i][0];
        }
        Map<String, Aggregate> byOutput = new HashMap<>();
        aggregates.forEach(a -> byOutput.put(a.output(), a));
        List<String> names = new ArrayList<>();
        List<Vector> cols = new ArrayList<>();
        for (String n : all.columnNames()) {
            if (Hidden.is(n) && !kept.contains(n)) {
                continue;
            }
            Aggregate a = byOutput.get(n);
            names.add(n);
            if (n.equals(Hidden.FIRST_SEQ)) {
                cols.add(new I64Vector(Arrays.stream(idx).mapToLong(i -> first[i]).toArray())); // each group's first row
                continue;
            }
            // a group key is equal across the group's rows
            cols.add(grouped(a == null ? all.column(n).gather(firstRows) : a.rule().combine(a, all, ordered)));
        }
        return RayTable.of(names, cols);
    }

    private static RayTable withoutFirsts(RayTable t) {
        if (!t.hasColumn(Hidden.FIRST_SEQ)) {
            return t;
        }
        List<String> names = new ArrayList<>();
        List<Vector> cols = new ArrayList<>();
        for (int i = 0; i < t.columnCount(); i++) {
            if (!t.columnNames().get(i).equals(Hidden.FIRST_SEQ)) {
                names.add(t.columnNames().get(i));
                cols.add(t.column(i));
            }
        }
        return RayTable.of(names, cols);
    }

    /**
     * A column of a grouped answer with the attribute bits one server gives it: the engine marks
     * every symbol column of a grouped answer (keys and aggregates) with the has-nulls attribute
     * (40), whether or not it holds a null; also after the rows are put in another order
     * ({@link GroupOrder}).
     */
    static Vector grouped(Vector col) {
        return col.type() == RayType.SYMBOL ? col.withAttrs((byte) (col.wireAttrs() | Wire.ATTR_HAS_NULLS)) : col;
    }

    @Override
    public String describe() {
        return "GroupCombine by " + keys + " " + aggregates + " in first-appearance order";
    }


    /** A group key: the values of the key columns at one row; nulls equal nulls. */
    static final class GroupKey {
        private final List<Vector> cols;
        private final int row;
        private final int hash;

        GroupKey(List<Vector> cols, int row) {
            this.cols = cols;
            this.row = row;
            int h = 1;
            for (Vector c : cols) {
                h = 31 * h + ValueOrder.key(c, row).hashCode(); // as equals: -0.0 is 0.0
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
