package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Call;

/**
 * An aggregate computed from the values at one or two ranks of the sorted non-null values
 * ({@code med}, {@code percentile}, {@code quantile}): which ranks, and the value from the values
 * found there. {@code RankSelect} finds those values on the shards.
 */
public interface Ranked {
    /** The 0-based ranks {lo, hi} (hi is lo or lo + 1) among {@code n} > 0 sorted non-null values. */
    long[] ranks(Aggregate a, long n);

    /** The aggregate of {@code n} values whose values at the two ranks are {@code atLo} and {@code atHi}, as f64. */
    double finish(Aggregate a, long n, double atLo, double atHi);

    /** The engine's own call of the aggregate over its argument ({@code (med x)}), for values the cluster does not rank. */
    Call call(Aggregate a);
}
