package io.rayforce.cluster.router.merge;

import java.util.PriorityQueue;

/**
 * Merges parts that are each already sorted into one order, by a comparator over global row
 * numbers (see {@link Parts}): a heap of the parts' current rows, O(n log k). Ties keep the
 * lower part first, so equal rows come out in part order.
 */
public final class KWayMerge {
    /** Compares two global row numbers. */
    @FunctionalInterface
    public interface RowComparator {
        int compare(int rowA, int rowB);
    }

    private KWayMerge() {
    }

    /** The first {@code limit} global row numbers in merged order (limit < 0: all). */
    public static int[] merge(Parts parts, RowComparator cmp, int limit) {
        int total = parts.totalRows();
        int n = limit < 0 ? total : Math.min(limit, total);
        int[] out = new int[n];
        int[] pos = new int[parts.count()];
        PriorityQueue<Integer> heap = new PriorityQueue<>(Math.max(1, parts.count()), (p, q) -> {
            int c = cmp.compare(parts.offset(p) + pos[p], parts.offset(q) + pos[q]);
            return c != 0 ? c : Integer.compare(p, q);
        });
        for (int p = 0; p < parts.count(); p++) {
            if (parts.rows(p) > 0) {
                heap.add(p);
            }
        }
        for (int k = 0; k < n; k++) {
            int p = heap.poll();
            out[k] = parts.offset(p) + pos[p];
            pos[p]++;
            if (pos[p] < parts.rows(p)) {
                heap.add(p);
            }
        }
        return out;
    }
}
