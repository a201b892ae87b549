package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.router.merge.KWayMerge;
import io.rayforce.cluster.router.merge.Parts;
import io.rayforce.cluster.router.merge.RowOrder;
import java.util.List;

/**
 * Merges the shards' row-wise answers, each already sorted, into the order one server gives
 * (vtgate's MergeSort): by the sort keys, then by {@code __seq} (insertion order); at most the
 * first {@code limit} rows when a take needs no more. No answers: the {@code empty} table.
 */
public final class MergeSorted extends ShardMerge {
    private final List<RowOrder.Key> keys;
    private final long limit;

    /**
     * @param limit rows to keep at most, or -1 for all
     * @param empty the shards' answer shape with no rows
     */
    public MergeSorted(Plan input, List<RowOrder.Key> keys, long limit, RayTable empty) {
        super(input, "a row select", empty);
        this.keys = List.copyOf(keys);
        this.limit = limit;
    }

    @Override
    RayTable merge(List<RayTable> tables) {
        if (tables.size() == 1 && keys.isEmpty() && limit < 0) {
            return tables.get(0);
        }
        Parts parts = new Parts(tables);
        int max = limit < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, limit);
        int[] order = KWayMerge.merge(parts, RowOrder.of(parts.all(), keys, Hidden.SEQ), max);
        // all the rows: the columns as one server stores them, with the attribute bits the shards keep on them
        return max < 0 ? parts.all().wholeInOrder(order) : parts.all().gather(order);
    }

    @Override
    public String describe() {
        return "MergeSorted by " + (keys.isEmpty() ? "" : keys + " then ") + Hidden.SEQ + (limit < 0 ? "" : ", first " + limit);
    }

}
