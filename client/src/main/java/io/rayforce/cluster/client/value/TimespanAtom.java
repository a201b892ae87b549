package io.rayforce.cluster.client.value;

import java.time.Duration;

/**
 * A timespan atom (type 16): a signed count of nanoseconds, what the engine answers for the
 * difference of two timestamps ({@code 0D00:00:01.000000000}); {@code 0Nn} is {@link Nulls#I64}.
 */
public record TimespanAtom(long nanos) implements Atom {
    public static final TimespanAtom NULL = new TimespanAtom(Nulls.I64);

    public static TimespanAtom of(Duration d) {
        return new TimespanAtom(d.toNanos());
    }

    /** The duration, or null for {@code 0Nn}. */
    public Duration toDuration() {
        return isNull() ? null : Duration.ofNanos(nanos);
    }

    @Override
    public boolean isNull() {
        return nanos == Nulls.I64;
    }

    @Override
    public RayType type() {
        return RayType.TIMESPAN;
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }
}
