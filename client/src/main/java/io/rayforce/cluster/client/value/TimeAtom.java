package io.rayforce.cluster.client.value;

import java.time.Duration;
import java.time.LocalTime;

/** A time atom: milliseconds since midnight; {@code 0Nt} is {@link Nulls#I32}. */
public record TimeAtom(int millis) implements Atom {
    public static final TimeAtom NULL = new TimeAtom(Nulls.I32);

    public static TimeAtom of(LocalTime time) {
        return new TimeAtom(Temporals.millis(time));
    }

    /** The time of day, or null for {@code 0Nt}; fails for values outside one day. */
    public LocalTime toLocalTime() {
        return Temporals.localTime(millis);
    }

    /** The time as a duration since midnight, or null for {@code 0Nt}. */
    public Duration toDuration() {
        return Temporals.duration(millis);
    }

    @Override
    public boolean isNull() {
        return millis == Nulls.I32;
    }

    @Override
    public RayType type() {
        return RayType.TIME;
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }
}
