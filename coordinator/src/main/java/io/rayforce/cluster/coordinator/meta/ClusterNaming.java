package io.rayforce.cluster.coordinator.meta;

import java.util.regex.Pattern;

/** Names the cluster gives things on the engines and the rules for user table names. */
public final class ClusterNaming {
    /** The hidden per-row sequence column every shard table carries after the user's columns. */
    public static final String SEQ_COLUMN = "__seq";
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern SHARD_GLOBAL = Pattern.compile("([A-Za-z][A-Za-z0-9_]*?)__(\\d+)");
    /**
     * A shard global, a write's staging copy of one ({@code t__3__w17}), or what a write lease keeps
     * beside it: the rows appended and not yet committed ({@code t__3__p}) and the replica's append
     * record ({@code t__3__a}).
     */
    private static final Pattern CLUSTER_GLOBAL = Pattern.compile("[A-Za-z][A-Za-z0-9_]*?__\\d+(__w\\d+|__p|__a)?");

    private ClusterNaming() {
    }

    /** The engine global holding shard {@code shard} of {@code table}, e.g. {@code trades__7}. */
    public static String shardGlobal(String table, int shard) {
        return table + "__" + shard;
    }

    /**
     * The rows a write lease appended to shard {@code shard} of {@code table} and has not committed
     * yet ({@code t__3__p}; docs/router.md, Write leases): no read ever names it.
     */
    public static String pendingGlobal(String table, int shard) {
        return shardGlobal(table, shard) + "__p";
    }

    /**
     * A shard replica's append record ({@code t__3__a}): an i64 vector {@code [created epoch,
     * lease, last committed stamp]}, the fence a write lease's requests are checked against.
     */
    public static String recordGlobal(String table, int shard) {
        return shardGlobal(table, shard) + "__a";
    }

    /** The table and shard of a shard global, or null when {@code global} is not one. */
    public static ShardRef parseShardGlobal(String global) {
        var m = SHARD_GLOBAL.matcher(global);
        return m.matches() ? new ShardRef(m.group(1), Integer.parseInt(m.group(2))) : null;
    }

    /**
     * Whether {@code global} is one the cluster keeps on a node's engine: a shard global or the
     * staging copy of one. These are the only globals the cluster's requests write on a node
     * (docs/security.md, the data-path rule); a user table name never has this form.
     */
    public static boolean isClusterGlobal(String global) {
        return CLUSTER_GLOBAL.matcher(global).matches();
    }

    /** Fails with a message naming the rule when {@code name} is not a valid table name. */
    public static String checkTableName(String name) {
        if (name == null || !TABLE_NAME.matcher(name).matches() || name.contains("__") || name.length() > 100) {
            throw new IllegalArgumentException("invalid table name '" + name
                    + "': use a letter then letters, digits or _ (no \"__\", at most 100 characters)");
        }
        return name;
    }

    /** A shard of a table. */
    public record ShardRef(String table, int shard) {
        @Override
        public String toString() {
            return table + "/" + shard;
        }
    }
}
