package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.coordinator.meta.ClusterNaming;

/**
 * Every column name the router adds to what shards compute and removes before the answer: all
 * start with {@code __}, which a client's projection may not use.
 */
public final class Hidden {
    /** What every hidden name starts with. */
    public static final String PREFIX = "__";
    /** A shard row's sequence number: its place in the table's insertion order. */
    public static final String SEQ = ClusterNaming.SEQ_COLUMN;
    /** A group's smallest row sequence: where it first appears in the data. */
    public static final String FIRST_SEQ = "__first";
    /** A joined row's left and right row sequences. */
    public static final String LEFT_SEQ = "__lseq";
    public static final String RIGHT_SEQ = "__rseq";
    /** The values a shard sends for an aggregate finished from all of them (median, distinct count). */
    public static final String VALUES = "__v";
    /**
     * A shard's row count, the one partial of an ungrouped select whose aggregates are all
     * gathered: its partial row tells a shard with rows from an empty one without the rows.
     */
    public static final String ROWS = "__rows";
    /**
     * A local of a shard request: the partials it computed first, kept while it decides whether to
     * compute them again with each group's first row.
     */
    public static final String PARTIALS = "__partials";

    private Hidden() {
    }

    /** Whether a column is one of the router's own. */
    public static boolean is(String column) {
        return column.startsWith(PREFIX);
    }

    /** The sort key column {@code i} of a select whose order is applied on the shards and merged. */
    public static String orderKey(int i) {
        return "__o" + i;
    }

    /** Aggregate {@code k} of an expression over aggregates, finished at the router before the expression. */
    public static String aggregate(int k) {
        return "__p" + k;
    }

    /** Part {@code part} of the partial state of the aggregate answered as {@code output}. */
    public static String part(String output, String part) {
        return PREFIX + output + "_" + part;
    }
}
