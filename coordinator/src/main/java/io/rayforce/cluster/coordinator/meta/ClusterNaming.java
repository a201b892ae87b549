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
    /** A shard global or a write's staging copy of one ({@code t__3__w17}). */
    private static final Pattern CLUSTER_GLOBAL = Pattern.compile(NAME_CHAR + "+?__\\d+(__w\\d+)?");

    private ClusterNaming() {
    }

    /** The engine global holding shard {@code shard} of {@code table}, e.g. {@code trades__7}. */
    public static String shardGlobal(String table, int shard) {
        return table + "__" + shard;
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
