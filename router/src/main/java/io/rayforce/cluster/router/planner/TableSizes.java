package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.coordinator.proto.TablePlacement;

/**
 * What the planner knows of tables' sizes while it plans: each shard's row count (from a cheap
 * count, {@link CountedSizes}), and the router memory a query may hold. Joins that are not
 * co-located are sized from these (broadcast or shuffle, {@link JoinStrategy}), and explain
 * estimates what each step moves from them.
 */
public interface TableSizes {
    /** Nothing known: joins are planned as before sizes (broadcast), and explain estimates nothing. */
    TableSizes UNKNOWN = new TableSizes() {
        @Override
        public long[] shardRows(TablePlacement table) {
            return null;
        }

        @Override
        public long memoryBudget() {
            return Long.MAX_VALUE;
        }
    };

    /** The rows of each shard of {@code table}, by shard number, or null when they are not known. */
    long[] shardRows(TablePlacement table);

    /** The router memory one query may hold, in bytes. */
    long memoryBudget();

    /** The rows of {@code table}'s shards {@code shards}, or -1 when not known. */
    default long rows(TablePlacement table, int[] shards) {
        long[] rows = shardRows(table);
        if (rows == null) {
            return -1;
        }
        long n = 0;
        for (int s : shards) {
            n += rows[s];
        }
        return n;
    }
}
