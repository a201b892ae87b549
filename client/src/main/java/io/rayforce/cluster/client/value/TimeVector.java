package io.rayforce.cluster.client.value;

import java.time.LocalTime;

/** A time vector: milliseconds since midnight. */
public final class TimeVector extends IntBackedVector {
    /** Takes ownership of {@code millis}. */
    public TimeVector(int[] millis) {
        super(millis);
    }

    public static TimeVector of(LocalTime... times) {
        int[] t = new int[times.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = times[i] == null ? Nulls.I32 : Temporals.millis(times[i]);
        }
        return new TimeVector(t);
    }

    /** Element {@code index} as a time of day, or null. */
    public LocalTime localTime(int index) {
        return Temporals.localTime(values[index]);
    }

    @Override
    public TimeAtom at(int index) {
        return new TimeAtom(values[index]);
    }

    @Override
    public RayType type() {
        return RayType.TIME;
    }

    @Override
    Vector withArray(Object array) {
        return new TimeVector((int[]) array);
    }
}
