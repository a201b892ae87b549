package io.rayforce.cluster.node.engine;

import java.time.Duration;

/** Exponential restart delays: initial, then doubling up to a maximum, until {@link #reset()}. Not thread-safe. */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private Duration next;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The delay to wait now; the one after it is twice as long (at most the maximum). */
    public Duration next() {
        Duration d = next;
        next = d.compareTo(max.dividedBy(2)) > 0 ? max : d.multipliedBy(2);
        return d;
    }

    /** What {@link #next()} would return, without advancing. */
    public Duration peek() {
        return next;
    }

    /** Back to the initial delay (after the engine has run stably). */
    public void reset() {
        next = initial;
    }
}
