package io.rayforce.cluster.router.load;

/**
 * How to create the table a load fills when it does not exist: sharded on {@code shardKey} into
 * {@code shards} shards with {@code replication} replicas (0: the cluster's default, one shard per
 * node and 2 replicas at most), or held whole by every node ({@code replicated}). {@link #NONE}
 * creates nothing: the table must exist.
 */
public record TableLayout(String shardKey, int shards, int replication, boolean replicated) {
    public static final TableLayout NONE = new TableLayout(null, 0, 0, false);

    public TableLayout {
        if (replicated && shardKey != null) {
            throw new IllegalArgumentException("a table held whole by every node (replicated) has no shard key");
        }
        if (shards < 0 || replication < 0) {
            throw new IllegalArgumentException("shards and replication must be positive");
        }
        if (shardKey == null && !replicated && (shards > 0 || replication > 0)) {
            throw new IllegalArgumentException("shards and replication need a shard key");
        }
    }

    /** Whether this layout can create a table. */
    public boolean creates() {
        return shardKey != null || replicated;
    }
}
