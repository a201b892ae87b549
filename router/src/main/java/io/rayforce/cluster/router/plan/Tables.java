package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.router.merge.KWayMerge;
import io.rayforce.cluster.router.merge.Parts;
import io.rayforce.cluster.router.merge.ValueOrder;
import java.util.ArrayList;
import java.util.List;

/** Table helpers shared by the merge operators. */
final class Tables {
    private Tables() {
    }

    /** The columns named {@code names}, in that order. */
    static RayTable project(RayTable t, List<String> names) {
        List<Vector> cols = new ArrayList<>(names.size());
        for (String n : names) {
            cols.add(t.column(n));
        }
        return RayTable.of(names, cols);
    }

    /** The visible columns (names not starting with {@code __}), in order. */
    static List<String> visible(RayTable t) {
        List<String> out = new ArrayList<>();
        for (String n : t.columnNames()) {
            if (!n.startsWith("__")) {
                out.add(n);
            }
        }
        return out;
    }

    /** Row comparator over the merged parts: the sort keys, then the row sequence. */
    static KWayMerge.RowComparator byKeysThenSeq(RayTable all, List<SortKey> keys) {
        long[] seqs = ((I64Vector) all.column(ClusterNaming.SEQ_COLUMN)).toArray();
        if (keys.isEmpty()) {
            return (a, b) -> Long.compare(seqs[a], seqs[b]);
        }
        int n = keys.size();
        ValueOrder.IndexComparator[] cols = new ValueOrder.IndexComparator[n];
        boolean[] desc = new boolean[n];
        for (int i = 0; i < n; i++) {
            cols[i] = ValueOrder.of(all.column(keys.get(i).column()));
            desc[i] = keys.get(i).descending();
        }
        return (a, b) -> {
            for (int i = 0; i < n; i++) {
                int c = cols[i].compare(a, b);
                if (c != 0) {
                    return desc[i] ? -c : c;
                }
            }
            return Long.compare(seqs[a], seqs[b]);
        };
    }

    /** Merges sorted shard results; at most {@code limit} rows (negative: all). */
    static int[] merge(Parts parts, List<SortKey> keys, int limit) {
        return KWayMerge.merge(parts, byKeysThenSeq(parts.all(), keys), limit);
    }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
