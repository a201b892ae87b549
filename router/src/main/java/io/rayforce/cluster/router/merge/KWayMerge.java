package io.rayforce.cluster.router.merge;

/**
 * Merges parts that are each already sorted into one order, by a comparator over global row
 * numbers (see {@link Parts}): a binary heap of the parts' current rows kept in primitive
 * arrays, O(n log k) comparisons and no boxing. Ties keep the lower part first, so equal rows
 * come out in part order.
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
        int k = parts.count();
        // heap of parts, keyed by each part's current global row
        int[] heapPart = new int[k];
        int[] row = new int[k];
        int[] end = new int[k];
        int size = 0;
        for (int p = 0; p < k; p++) {
            if (parts.rows(p) > 0) {
                heapPart[size] = p;
                row[p] = parts.offset(p);
                end[p] = parts.offset(p) + parts.rows(p);
                siftUp(heapPart, size, row, cmp);
                size++;
            }
        }
        for (int i = 0; i < n; i++) {
            int p = heapPart[0];
            out[i] = row[p];
            row[p]++;
            if (row[p] == end[p]) {
                heapPart[0] = heapPart[--size];
            }
            siftDown(heapPart, size, row, cmp);
        }
        return out;
    }

    private static boolean less(int p, int q, int[] row, RowComparator cmp) {
        int c = cmp.compare(row[p], row[q]);
        return c < 0 || (c == 0 && p < q);
    }

    private static void siftUp(int[] heap, int i, int[] row, RowComparator cmp) {
        int x = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(x, heap[parent], row, cmp)) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = x;
    }

    private static void siftDown(int[] heap, int size, int[] row, RowComparator cmp) {
        if (size == 0) {
            return;
        }
        int i = 0;
        int x = heap[0];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && less(heap[child + 1], heap[child], row, cmp)) {
                child++;
            }
            if (!less(heap[child], x, row, cmp)) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = x;
    }
}
