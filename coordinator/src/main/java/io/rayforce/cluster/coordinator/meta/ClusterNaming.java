package io.rayforce.cluster.coordinator.meta;

import java.util.regex.Pattern;

/** Names the cluster gives things on the engines and the rules for user table names. */
public final class ClusterNaming {
    /** The hidden per-row sequence column every shard table carries after the user's columns. */
    public static final String SEQ_COLUMN = "__seq";
    /**
     * The characters of a table name: those the engine reads in a name (docs/globals.md, Names),
     * except {@code .} (a dotted name applies what follows the dot) and {@code /} (ZooKeeper
     * paths hold table names).
     */
    private static final String NAME_CHAR = "[A-Za-z0-9_!#$%&*+,<=>?@^|~-]";
    /** A table name: no digit first, nor a minus and a digit (the engine reads a number there). */
    private static final Pattern TABLE_NAME = Pattern.compile("(?![0-9])(?!-[0-9])" + NAME_CHAR + "+");
    private static final Pattern SHARD_GLOBAL = Pattern.compile("(" + NAME_CHAR + "+?)__(\\d+)");
    /**
     * The suffix of the global a node agent fills while it copies a shard from another node
     * ({@code t__3__copy}), renamed to the shard global when the copy verifies.
     */
    public static final String COPY_SUFFIX = "__copy";
    /**
     * The suffix of the global a node fills with a new shard's rows while its table is resharded
     * ({@code t__5__split}), swapped in as the shard global when the new layout becomes visible.
     */
    public static final String SPLIT_SUFFIX = "__split";
    /**
     * A shard global, a write's staging copy of one ({@code t__3__w17}), a node's shard copy in
     * progress ({@code t__3__copy}), a new shard being filled by a reshard ({@code t__5__split}), or
     * what a write lease keeps beside it: the rows appended and not yet committed ({@code t__3__p})
     * and the replica's append record ({@code t__3__a}).
     */
    private static final Pattern CLUSTER_GLOBAL = Pattern.compile(NAME_CHAR + "+?__\\d+(__w\\d+|__p|__a|" + COPY_SUFFIX
            + "|" + SPLIT_SUFFIX + ")?");
    /**
     * A query's temporary table on a node ({@code tmp__x0123456789abcdef__l2}): {@code x}, the
     * query's random 16-hex-digit tag, then a part name. The {@code __x} keeps it from ever parsing
     * as a shard global, and no user table name has {@code __}.
     */
    private static final Pattern TEMPORARY_GLOBAL = Pattern.compile("tmp__x[0-9a-f]{16}__[a-z0-9]{1,32}");

    private ClusterNaming() {
    }

    /** The engine global holding shard {@code shard} of {@code table}, e.g. {@code trades__7}. */
    public static String shardGlobal(String table, int shard) {
        return table + "__" + shard;
    }

    /** The staging global a reshard fills for new shard {@code shard}, e.g. {@code trades__12__split}. */
    public static String splitGlobal(String table, int shard) {
        return shardGlobal(table, shard) + SPLIT_SUFFIX;
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

    /**
     * The temporary table {@code part} of the query tagged {@code queryTag} (16 hex digits), e.g.
     * {@code tmp__x0123456789abcdef__l2}: what a shuffle stores on a node for the length of one
     * query (docs/planner.md, Joins). Never journaled for replay: the router writes it with the
     * restricted flag, and a node drops a journal entry that writes only temporaries.
     */
    public static String temporaryGlobal(String queryTag, String part) {
        String name = "tmp__x" + queryTag + "__" + part;
        if (!TEMPORARY_GLOBAL.matcher(name).matches()) {
            throw new IllegalArgumentException("not a temporary's name: " + name);
        }
        return name;
    }

    /** Whether {@code global} is a query's temporary table ({@link #temporaryGlobal}). */
    public static boolean isTemporaryGlobal(String global) {
        return TEMPORARY_GLOBAL.matcher(global).matches();
    }

    /** The table and shard of a shard global, or null when {@code global} is not one. */
    public static ShardRef parseShardGlobal(String global) {
        var m = SHARD_GLOBAL.matcher(global);
        return m.matches() ? new ShardRef(m.group(1), Integer.parseInt(m.group(2))) : null;
    }

    /**
     * Whether {@code global} is one the cluster keeps on a node's engine: a shard global, a
     * write's staging copy of one, a write lease's pending rows or append record, a node agent's
     * copy of one in progress, or a query's temporary ({@link #temporaryGlobal}). These are the only globals the cluster's requests write on a
     * node (docs/security.md, the data-path rule); a user table name never has this form.
     */
    public static boolean isClusterGlobal(String global) {
        return CLUSTER_GLOBAL.matcher(global).matches() || TEMPORARY_GLOBAL.matcher(global).matches();
    }

    /** Fails with a message naming the rule when {@code name} is not a valid table name. */
    public static String checkTableName(String name) {
        if (name == null || !TABLE_NAME.matcher(name).matches() || name.contains("__") || name.length() > 100) {
            throw new IllegalArgumentException("invalid table name '" + name
                    + "': use the characters of a Rayfall name (letters, digits and _ - ! # $ % & * + , < = > ? @ ^ | ~), "
                    + "not a digit first, no \".\", \"/\" or \"__\", at most 100 characters");
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
