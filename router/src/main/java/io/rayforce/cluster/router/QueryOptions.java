package io.rayforce.cluster.router;

import io.rayforce.cluster.router.exec.ResultLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * Per-query settings: the timeout (zero: none), whether a partial answer is acceptable, after
 * how long a unit that has not answered is also sent to another replica (a hedge; null: never),
 * and the largest answer the query may have ({@link ResultLimits}). The first answer wins; the
 * merger takes one answer per unit, so hedges never count twice.
 */
public record QueryOptions(Duration timeout, boolean allowPartial, Duration hedgeAfter, ResultLimits limits) {
    public static final QueryOptions DEFAULT = new QueryOptions(Duration.ofSeconds(60), false, null);

    public QueryOptions {
        Objects.requireNonNull(limits, "limits (ResultLimits.NONE for none)");
    }

    /** Without result limits. */
    public QueryOptions(Duration timeout, boolean allowPartial, Duration hedgeAfter) {
        this(timeout, allowPartial, hedgeAfter, ResultLimits.NONE);
    }

    /** Without hedging. */
    public QueryOptions(Duration timeout, boolean allowPartial) {
        this(timeout, allowPartial, null);
    }

    public QueryOptions withTimeout(Duration t) {
        return new QueryOptions(t, allowPartial, hedgeAfter, limits);
    }

    /** Shards that no replica can answer are left out and listed in the result, instead of failing the query. */
    public QueryOptions allowingPartialResults() {
        return new QueryOptions(timeout, true, hedgeAfter, limits);
    }

    /** Units without an answer after {@code delay} are sent to a second replica as well. */
    public QueryOptions hedgingAfter(Duration delay) {
        return new QueryOptions(timeout, allowPartial, delay, limits);
    }

    /** Answers with more rows or bytes than {@code l} allows fail with error {@code limit}. */
    public QueryOptions withResultLimits(ResultLimits l) {
        return new QueryOptions(timeout, allowPartial, hedgeAfter, l);
    }
}
