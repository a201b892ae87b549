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
        List<Vector> cols = new ArrayList<>(keys.size());
        for (SortKey k : keys) {
            cols.add(all.column(k.column()));
        }
        I64Vector seq = (I64Vector) all.column(ClusterNaming.SEQ_COLUMN);
        return (a, b) -> {
            for (int i = 0; i < cols.size(); i++) {
                int c = ValueOrder.compare(cols.get(i), a, cols.get(i), b);
                if (c != 0) {
                    return keys.get(i).descending() ? -c : c;
                }
            }
            return Long.compare(seq.get(a), seq.get(b));
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
