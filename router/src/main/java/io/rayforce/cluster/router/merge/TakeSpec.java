package io.rayforce.cluster.router.merge;

import io.rayforce.cluster.client.RayforceEvaluationError;

/**
 * A select's {@code take:} as the engine applies it to N rows: {@code n} the first n,
 * {@code -n} the last n, {@code [start n]} n rows from start (a negative start counts from the
 * end), all clipped to the rows there are.
 */
public record TakeSpec(Long start, long count) {
    /** The engine refuses a take of the i64 null ({@code 0N}, the sentinel {@code -n} cannot negate) with {@code type}. */
    public TakeSpec {
        if (start == null && count == Long.MIN_VALUE) {
            throw new RayforceEvaluationError("type", "take: 0N (the i64 null) is no row count");
        }
    }

    /** The half-open row range [from, to) this take keeps out of {@code rows}. */
    public int[] range(int rows) {
        long from;
        long to;
        if (start == null) {
            if (count >= 0) {
                from = 0;
                to = Math.min(count, rows);
            } else {
                from = Math.max(0, rows + count);
                to = rows;
            }
        } else {
            long s = start >= 0 ? start : Math.max(0, rows + start);
            from = Math.min(s, rows);
            to = Math.min(rows, from + Math.max(0, count));
        }
        return new int[] {(int) from, (int) to};
    }

    /**
     * How many leading rows of each sorted shard result the merged take can need, or -1 when it
     * may need all of them (a take from the end, or a start counted from the end).
     */
    public long headNeeded() {
        if (start == null) {
            return count >= 0 ? count : -1;
        }
        return start >= 0 ? start + Math.max(0, count) : -1;
    }

    /** How many trailing rows of each shard result a take from the end needs, or -1. */
    public long tailNeeded() {
        return start == null && count < 0 ? -count : -1;
    }
}
