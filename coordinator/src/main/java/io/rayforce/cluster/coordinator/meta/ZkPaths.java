package io.rayforce.cluster.coordinator.meta;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

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
    /** The cluster's globals (atoms, vectors, dicts, lists, lambdas a client {@code set}): {@code /globals/bNN/<name>}. */
    public static final String GLOBALS = "/globals";
    /** Globals are spread over this many bucket znodes, so no child list grows long. */
    public static final int GLOBAL_BUCKETS = 16;
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

    /** The bucket znode that holds global {@code name}. */
    public static String globalBucket(String name) {
        return GLOBALS + "/" + String.format("b%02d", Math.floorMod(name.hashCode(), GLOBAL_BUCKETS));
    }

    /** The znode of global {@code name} (any name the engine reads, escaped as a znode name). */
    public static String global(String name) {
        return globalBucket(name) + "/" + escapeName(name);
    }

    /**
     * A name as a znode name: ASCII letters, digits, {@code _} and {@code -} stay, every other
     * byte of its UTF-8 form becomes {@code %XX} (so {@code /}, {@code .} and {@code %} never
     * appear raw).
     */
    public static String escapeName(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    /** The name {@link #escapeName} escaped. */
    public static String unescapeName(String escaped) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '%' && i + 2 < escaped.length()) {
                bytes.write(Integer.parseInt(escaped.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    public static String sequence(String table) {
        return SEQ + "/" + table;
    }
}
