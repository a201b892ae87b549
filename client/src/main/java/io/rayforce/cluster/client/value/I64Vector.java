package io.rayforce.cluster.client.value;

/** An i64 vector. */
public final class I64Vector extends LongBackedVector {
    /** Takes ownership of {@code values}. */
    public I64Vector(long[] values) {
        super(values);
    }

    public static I64Vector of(long... values) {
        return new I64Vector(values.clone());
    }

    @Override
    public I64Atom at(int index) {
        return new I64Atom(values[index]);
    }

    @Override
    public RayType type() {
        return RayType.I64;
    }

    @Override
    Vector withArray(Object array) {
        return new I64Vector((long[]) array);
    }
}
