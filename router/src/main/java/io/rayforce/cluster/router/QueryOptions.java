package io.rayforce.cluster.router;

import java.time.Duration;

/**
 * Per-query settings: the timeout (zero: none), whether a partial answer is acceptable, and
 * after how long a unit that has not answered is also sent to another replica (a hedge; null:
 * never). The first answer wins; the merger takes one answer per unit, so hedges never count
 * twice.
 */
public record QueryOptions(Duration timeout, boolean allowPartial, Duration hedgeAfter) {
    public static final QueryOptions DEFAULT = new QueryOptions(Duration.ofSeconds(60), false, null);

    /** Without hedging. */
    public QueryOptions(Duration timeout, boolean allowPartial) {
        this(timeout, allowPartial, null);
    }

    public QueryOptions withTimeout(Duration t) {
        return new QueryOptions(t, allowPartial, hedgeAfter);
    }

    /** Shards that no replica can answer are left out and listed in the result, instead of failing the query. */
    public QueryOptions allowingPartialResults() {
        return new QueryOptions(timeout, true, hedgeAfter);
    }

    /** Units without an answer after {@code delay} are sent to a second replica as well. */
    public QueryOptions hedgingAfter(Duration delay) {
        return new QueryOptions(timeout, allowPartial, delay);
    }
}
