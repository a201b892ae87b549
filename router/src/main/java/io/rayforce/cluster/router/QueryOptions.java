package io.rayforce.cluster.router;

import java.time.Duration;

/** Per-query settings: the timeout (zero: none) and whether a partial answer is acceptable. */
public record QueryOptions(Duration timeout, boolean allowPartial) {
    public static final QueryOptions DEFAULT = new QueryOptions(Duration.ofSeconds(60), false);

    public QueryOptions withTimeout(Duration t) {
        return new QueryOptions(t, allowPartial);
    }

    /** Shards that no replica can answer are left out and listed in the result, instead of failing the query. */
    public QueryOptions allowingPartialResults() {
        return new QueryOptions(timeout, true);
    }
}
