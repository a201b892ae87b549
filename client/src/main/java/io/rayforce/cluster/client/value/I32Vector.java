package io.rayforce.cluster.client.value;

/** An i32 vector. */
public final class I32Vector extends IntBackedVector {
    /** Takes ownership of {@code values}. */
    public I32Vector(int[] values) {
        super(values);
    }

    public static I32Vector of(int... values) {
        return new I32Vector(values.clone());
    }

    @Override
    public I32Atom at(int index) {
        return new I32Atom(values[index]);
    }

    @Override
    public RayType type() {
        return RayType.I32;
    }

    @Override
    Vector withArray(Object array) {
        return new I32Vector((int[]) array);
    }
}
