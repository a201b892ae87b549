package io.rayforce.cluster.router.merge;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import java.util.List;

/** Orders the rows of one table by sort keys (as the engine sorts: {@link ValueOrder}), then optionally by a sequence column. */
public final class RowOrder {
    /** A sort key: a column and its direction. */
    public record Key(String column, boolean descending) {
        @Override
        public String toString() {
            return (descending ? "desc " : "asc ") + column;
        }
    }

    private RowOrder() {
    }

    /**
     * A comparator of {@code t}'s rows by {@code keys}, then by the i64 column {@code tieColumn}
     * ascending (null: ties compare equal).
     */
    public static KWayMerge.RowComparator of(RayTable t, List<Key> keys, String tieColumn) {
        long[] ties = tieColumn == null ? null : ((I64Vector) t.column(tieColumn)).toArray();
        int n = keys.size();
        ValueOrder.IndexComparator[] cols = new ValueOrder.IndexComparator[n];
        boolean[] desc = new boolean[n];
        for (int i = 0; i < n; i++) {
            cols[i] = ValueOrder.of(t.column(keys.get(i).column()));
            desc[i] = keys.get(i).descending();
        }
        return (a, b) -> {
            for (int i = 0; i < n; i++) {
                int c = cols[i].compare(a, b);
                if (c != 0) {
                    return desc[i] ? -c : c;
                }
            }
            return ties == null ? 0 : Long.compare(ties[a], ties[b]);
        };
    }
}
