package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.I16Vector;
import io.rayforce.cluster.client.value.IntBackedVector;
import io.rayforce.cluster.client.value.LongBackedVector;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.U8Vector;
import io.rayforce.cluster.client.value.Vector;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How one server orders the distinct keys of a group-by that groups by sorting (measured on the
 * pinned engine; docs/planner.md has the experiments). Keys are integers, temporals or symbols (a
 * symbol by its id on a fresh server fed the table); with any other key the groups keep first
 * appearance. With {@code n} rows entering and fewer than {@value #SORTED_FROM}, first appearance.
 * Otherwise each key has a slot:
 * <ul>
 *   <li>one key: its value minus the smallest, the null (if any) one past the largest; the slots
 *       span {@code range} = largest - smallest + 1 (+ 1 with a null). Past {@code n}, first appearance.
 *   <li>several keys: each key's rank among its distinct values (ascending, null last), each key's
 *       span at most {@value #DENSE_SPAN}, or first appearance; the slot is the ranks combined, the
 *       last key the most significant, over {@code range} = the product of the distinct counts.
 *       Past {@code n}, first appearance.
 * </ul>
 * With {@code 17 * range <= 8 * n} the keys come in slot order; otherwise the engine works in
 * {@code P} partitions by the slot's low bits ({@code P} = the power of two at or above
 * {@code range / 32768}, at least 8), so they come by {@code slot mod P}, then slot.
 */
public final class KeyOrder {
    /** Input rows from which the engine groups by sorting. */
    public static final int SORTED_FROM = 65_536;
    /** The largest span of one key of several that the engine ranks. */
    static final long DENSE_SPAN = 1L << 22;
    private static final long SLOTS_PER_PARTITION = 32_768;
    private static final int MIN_PARTITIONS = 8;

    private KeyOrder() {
    }

    /** One key column as the engine compares it: a value per row (a symbol's rank) and whether it is null. */
    public record Column(long[] values, boolean[] nulls) {
        /** {@code v} as a key, or null when the engine does not sort by its type. */
        public static Column of(Vector v, Map<String, Long> symbolRanks) {
            int n = v.length();
            long[] values = new long[n];
            boolean[] nulls = new boolean[n];
            for (int i = 0; i < n; i++) {
                if (v instanceof SymbolVector s) {
                    Long r = symbolRanks.get(s.get(i));
                    if (r == null) {
                        return null; // a symbol the table does not hold: its id is not known here
                    }
                    values[i] = r;
                    continue;
                }
                nulls[i] = v.isNull(i);
                if (v instanceof LongBackedVector l) {
                    values[i] = l.get(i);
                } else if (v instanceof IntBackedVector x) {
                    values[i] = x.get(i);
                } else if (v instanceof I16Vector s) {
                    values[i] = s.get(i);
                } else if (v instanceof U8Vector u) {
                    values[i] = u.unsigned(i);
                } else if (v instanceof BoolVector b) {
                    values[i] = b.get(i) ? 1 : 0;
                } else {
                    return null;
                }
            }
            return new Column(values, nulls);
        }

        /** The rows at {@code rows}. */
        public Column gather(int[] rows) {
            long[] v = new long[rows.length];
            boolean[] z = new boolean[rows.length];
            for (int i = 0; i < rows.length; i++) {
                v[i] = values[rows[i]];
                z[i] = nulls[rows[i]];
            }
            return new Column(v, z);
        }

        /** Row {@code i}'s value as compared for equality (nulls equal nulls). */
        public List<Object> identity(int i) {
            return nulls[i] ? List.of(Boolean.TRUE) : List.of(values[i]);
        }
    }

    /**
     * The order of {@code groups} distinct key tuples (rows of {@code keys}) that one server gives
     * when {@code n} rows entered the group-by: indexes into the rows, or null for first appearance.
     */
    public static int[] order(List<Column> keys, int groups, long n) {
        if (n < SORTED_FROM || groups < 2 || keys.isEmpty()) {
            return null;
        }
        long[] slot = new long[groups];
        long range;
        if (keys.size() == 1) {
            range = spanSlots(keys.get(0), slot);
        } else {
            range = rankSlots(keys, slot);
        }
        if (range < 0 || range > n) {
            return null;
        }
        long partitions = 1;
        if (17 * range > 8 * n) {
            long needed = (range + SLOTS_PER_PARTITION - 1) / SLOTS_PER_PARTITION;
            partitions = Math.max(MIN_PARTITIONS, Long.highestOneBit(needed) == needed ? needed : Long.highestOneBit(needed) << 1);
        }
        long p = partitions;
        return sortedBy(slot, (a, b) -> {
            int c = Long.compare(slot[a] % p, slot[b] % p);
            return c != 0 ? c : Long.compare(slot[a], slot[b]);
        });
    }

    /** One key: slots by value minus the smallest, null last; the span, or -1 when it overflows. */
    private static long spanSlots(Column k, long[] slot) {
        long range = span(k);
        if (range < 0) {
            return -1;
        }
        long min = min(k);
        for (int i = 0; i < slot.length; i++) {
            slot[i] = k.nulls[i] ? range - 1 : k.values[i] - min;
        }
        return range;
    }

    /** Several keys: slots by the keys' ranks, the last most significant; the product of the distinct counts, or -1. */
    private static long rankSlots(List<Column> keys, long[] slot) {
        long range = 1;
        for (Column k : keys) {
            long span = span(k);
            if (span < 0 || span > DENSE_SPAN) {
                return -1;
            }
            long[] distinct = Arrays.stream(indexes(k.values.length)).filter(i -> !k.nulls[i]).mapToLong(i -> k.values[i])
                    .distinct().sorted().toArray();
            boolean hasNull = false;
            for (boolean z : k.nulls) {
                hasNull |= z;
            }
            long count = distinct.length + (hasNull ? 1 : 0);
            for (int i = 0; i < slot.length; i++) {
                long rank = k.nulls[i] ? distinct.length : Arrays.binarySearch(distinct, k.values[i]);
                slot[i] += rank * range;
            }
            if (range > Long.MAX_VALUE / Math.max(1, count)) {
                return -1;
            }
            range *= count;
        }
        return range;
    }

    /** Largest - smallest + 1, + 1 with a null; -1 when it does not fit a long. */
    private static long span(Column k) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        boolean hasNull = false;
        for (int i = 0; i < k.values.length; i++) {
            if (k.nulls[i]) {
                hasNull = true;
            } else {
                min = Math.min(min, k.values[i]);
                max = Math.max(max, k.values[i]);
            }
        }
        if (min > max) {
            return 1; // only nulls
        }
        try {
            return Math.addExact(Math.subtractExact(max, min), hasNull ? 2 : 1);
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    private static long min(Column k) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < k.values.length; i++) {
            if (!k.nulls[i]) {
                min = Math.min(min, k.values[i]);
            }
        }
        return min;
    }

    private static int[] indexes(int n) {
        int[] out = new int[n];
        Arrays.setAll(out, i -> i);
        return out;
    }

    private static int[] sortedBy(long[] slot, java.util.Comparator<Integer> cmp) {
        Integer[] rows = new Integer[slot.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        Arrays.sort(rows, cmp);
        return Arrays.stream(rows).mapToInt(Integer::intValue).toArray();
    }
}
