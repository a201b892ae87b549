package io.rayforce.cluster.client.value;

/** A timespan vector (type 16): signed nanosecond counts. */
public final class TimespanVector extends LongBackedVector {
    /** Takes ownership of {@code nanos}. */
    public TimespanVector(long[] nanos) {
        super(nanos);
    }

    @Override
    public TimespanAtom at(int index) {
        return new TimespanAtom(values[index]);
    }

    @Override
    public RayType type() {
        return RayType.TIMESPAN;
    }

    @Override
    Vector withArray(Object array) {
        return new TimespanVector((long[]) array);
    }
}
