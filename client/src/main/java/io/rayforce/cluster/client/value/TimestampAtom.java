package io.rayforce.cluster.client.value;

import java.time.Instant;
import java.time.LocalDateTime;

/** A timestamp atom: nanoseconds since 2000-01-01T00:00Z; {@code 0Np} is {@link Nulls#I64}. */
public record TimestampAtom(long nanos) implements Atom {
    public static final TimestampAtom NULL = new TimestampAtom(Nulls.I64);

    public static TimestampAtom of(Instant instant) {
        return new TimestampAtom(Temporals.nanos(instant));
    }

    public static TimestampAtom of(LocalDateTime utc) {
        return new TimestampAtom(Temporals.nanos(utc));
    }

    /** The instant, or null for {@code 0Np}. */
    public Instant toInstant() {
        return Temporals.instant(nanos);
    }

    /** The UTC date and time, or null for {@code 0Np}. */
    public LocalDateTime toLocalDateTime() {
        return Temporals.localDateTime(nanos);
    }

    @Override
    public boolean isNull() {
        return nanos == Nulls.I64;
    }

    @Override
    public RayType type() {
        return RayType.TIMESTAMP;
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }
}
