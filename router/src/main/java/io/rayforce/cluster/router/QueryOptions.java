package io.rayforce.cluster.router;

import io.rayforce.cluster.router.exec.ResultLimits;
import java.time.Duration;
import io.rayforce.cluster.router.exec.MemoryBudget;
import java.util.Objects;

/**
 * Per-query settings: the timeout (zero: none), whether a partial answer is acceptable, after
 * how long a unit that has not answered is also sent to another replica (a hedge; null: never),
 * the largest answer the query may have ({@link ResultLimits}), and how much of the shards' answers
 * it may hold at the router ({@code memoryBudget} bytes; zero: a quarter of the heap,
 * {@link MemoryBudget}). The first answer wins; the merger takes one answer per unit, so hedges
 * never count twice.
 */
public record QueryOptions(Duration timeout, boolean allowPartial, Duration hedgeAfter, ResultLimits limits, long memoryBudget) {
    public static final QueryOptions DEFAULT = new QueryOptions(Duration.ofSeconds(60), false, null);

    public QueryOptions {
        Objects.requireNonNull(limits, "limits (ResultLimits.NONE for none)");
        if (memoryBudget < 0) {
            throw new IllegalArgumentException("the memory budget must not be negative (zero: the default)");
        }
    }

    /** With the default memory budget. */
    public QueryOptions(Duration timeout, boolean allowPartial, Duration hedgeAfter, ResultLimits limits) {
        this(timeout, allowPartial, hedgeAfter, limits, 0);
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
        return new QueryOptions(t, allowPartial, hedgeAfter, limits, memoryBudget);
    }

    /** Shards that no replica can answer are left out and listed in the result, instead of failing the query. */
    public QueryOptions allowingPartialResults() {
        return new QueryOptions(timeout, true, hedgeAfter, limits, memoryBudget);
    }

    /** Units without an answer after {@code delay} are sent to a second replica as well. */
    public QueryOptions hedgingAfter(Duration delay) {
        return new QueryOptions(timeout, allowPartial, delay, limits, memoryBudget);
    }

    /** Answers with more rows or bytes than {@code l} allows fail with error {@code limit}. */
    public QueryOptions withResultLimits(ResultLimits l) {
        return new QueryOptions(timeout, allowPartial, hedgeAfter, l, memoryBudget);
    }

    /** Queries that would hold more than {@code bytes} of shard answers at the router fail with error {@code limit}. */
    public QueryOptions withMemoryBudget(long bytes) {
        return new QueryOptions(timeout, allowPartial, hedgeAfter, limits, bytes);
    }

    /** The memory budget in bytes, the default one when none was set. */
    public long memoryBudgetBytes() {
        return memoryBudget == 0 ? MemoryBudget.defaultBytes() : memoryBudget;
    }
}
