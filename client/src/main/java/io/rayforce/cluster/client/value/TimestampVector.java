package io.rayforce.cluster.client.value;

import java.time.Instant;

/** A timestamp vector: nanoseconds since 2000-01-01T00:00Z. */
public final class TimestampVector extends LongBackedVector {
    /** Takes ownership of {@code nanos}. */
    public TimestampVector(long[] nanos) {
        super(nanos);
    }

    public static TimestampVector of(Instant... instants) {
        long[] n = new long[instants.length];
        for (int i = 0; i < n.length; i++) {
            n[i] = instants[i] == null ? Nulls.I64 : Temporals.nanos(instants[i]);
        }
        return new TimestampVector(n);
    }

    /** Element {@code index} as an instant, or null. */
    public Instant instant(int index) {
        return Temporals.instant(values[index]);
    }

    @Override
    public TimestampAtom at(int index) {
        return new TimestampAtom(values[index]);
    }

    @Override
    public RayType type() {
        return RayType.TIMESTAMP;
    }

    @Override
    Vector withArray(Object array) {
        return new TimestampVector((long[]) array);
    }
}
