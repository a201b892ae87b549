package io.rayforce.cluster.coordinator.meta;

/**
 * The cluster's ZooKeeper layout, relative to the Curator namespace
 * {@code rayforce-cluster/<cluster>} (see docs/architecture.md).
 */
public final class ZkPaths {
    /** Shards per placement znode: a table's placement is split into buckets of this many shards. */
    public static final int SHARDS_PER_BUCKET = 64;

    public static final String NODES = "/nodes";
    public static final String NODE_STATE = "/node-state";
    public static final String TABLES = "/tables";
    public static final String PLACEMENT = "/placement";
    public static final String EPOCH = "/epoch";
    public static final String ROUTERS = "/routers";
    public static final String LEADER = "/leader";
    public static final String LOCKS = "/locks";
    public static final String SEQ = "/seq";
    public static final String WRITES = "/writes";
    /** The EPHEMERAL child of a write intent that lives as long as its writer's session. */
    public static final String INTENT_OWNER = "owner";

    private ZkPaths() {
    }

    /** The Curator namespace of a cluster. */
    public static String namespace(String cluster) {
        if (!cluster.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("invalid cluster name '" + cluster + "': use letters, digits, _ or -");
        }
        return "rayforce-cluster/" + cluster;
    }

    public static String node(String nodeId) {
        return NODES + "/" + nodeId;
    }

    public static String nodeState(String nodeId) {
        return NODE_STATE + "/" + nodeId;
    }

    public static String table(String table) {
        return TABLES + "/" + table;
    }

    public static String placement(String table) {
        return PLACEMENT + "/" + table;
    }

    public static String bucket(String table, int bucket) {
        return placement(table) + "/" + String.format("b%05d", bucket);
    }

    public static int bucketOf(int shard) {
        return shard / SHARDS_PER_BUCKET;
    }

    public static int bucketCount(int shardCount) {
        return (shardCount + SHARDS_PER_BUCKET - 1) / SHARDS_PER_BUCKET;
    }

    public static String router(String routerId) {
        return ROUTERS + "/" + routerId;
    }

    public static String shardLock(String table, int shard) {
        return LOCKS + "/" + table + "/" + shard;
    }

    /** The table's read-write lock ({@code InterProcessReadWriteLock}), beside its shard locks. */
    public static String tableLock(String table) {
        return LOCKS + "/" + table + "/rw";
    }

    /** The parent of the table's write intents. */
    public static String writes(String table) {
        return WRITES + "/" + table;
    }

    /** One write intent of the table, {@code name} being {@code w-<n>}. */
    public static String writeIntent(String table, String name) {
        return writes(table) + "/" + name;
    }

    public static String sequence(String table) {
        return SEQ + "/" + table;
    }
}
