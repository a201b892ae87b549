package io.rayforce.cluster.client.value;

import java.util.Arrays;

/** An f32 vector; NaN marks nulls. */
public final class F32Vector extends Vector {
    private final float[] values;

    /** Takes ownership of {@code values}. */
    public F32Vector(float[] values) {
        this.values = values;
    }

    public static F32Vector of(float... values) {
        return new F32Vector(values.clone());
    }

    public float get(int index) {
        return values[index];
    }

    @Override
    public boolean isNull(int index) {
        return Float.isNaN(values[index]);
    }

    @Override
    public F32Atom at(int index) {
        return new F32Atom(values[index]);
    }

    @Override
    public RayType type() {
        return RayType.F32;
    }

    @Override
    Object array() {
        return values;
    }

    @Override
    Vector withArray(Object array) {
        return new F32Vector((float[]) array);
    }

    @Override
    int elementsHash() {
        return Arrays.hashCode(values);
    }
}
