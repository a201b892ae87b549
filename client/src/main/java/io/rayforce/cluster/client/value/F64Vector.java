package io.rayforce.cluster.client.value;

import java.util.Arrays;

/** An f64 vector; NaN marks nulls. */
public final class F64Vector extends Vector {
    private final double[] values;

    /** Takes ownership of {@code values}. */
    public F64Vector(double[] values) {
        this.values = values;
    }

    public static F64Vector of(double... values) {
        return new F64Vector(values.clone());
    }

    public double get(int index) {
        return values[index];
    }

    /** A copy of the values. */
    public double[] toArray() {
        return values.clone();
    }

    @Override
    public boolean isNull(int index) {
        return Double.isNaN(values[index]);
    }

    @Override
    public int length() {
        return values.length;
    }

    @Override
    public boolean hasNulls() {
        for (double v : values) {
            if (v != v) {
                return true;
            }
        }
        return false;
    }

    @Override
    public F64Atom at(int index) {
        return new F64Atom(values[index]);
    }

    @Override
    public RayType type() {
        return RayType.F64;
    }

    @Override
    Object array() {
        return values;
    }

    @Override
    Vector withArray(Object array) {
        return new F64Vector((double[]) array);
    }

    @Override
    int elementsHash() {
        return Arrays.hashCode(values);
    }
}
