package io.rayforce.cluster.client.value;

import java.util.Arrays;

/** A vector stored as 32-bit integers: i32, date and time. {@link Nulls#I32} marks nulls. */
public abstract sealed class IntBackedVector extends Vector permits I32Vector, DateVector, TimeVector {
    final int[] values;

    IntBackedVector(int[] values) {
        this.values = values;
    }

    /** The raw 32-bit value (days for dates, milliseconds for times). */
    public int get(int index) {
        return values[index];
    }

    @Override
    public boolean isNull(int index) {
        return values[index] == Nulls.I32;
    }

    @Override
    public int length() {
        return values.length;
    }

    @Override
    public boolean hasNulls() {
        for (int v : values) {
            if (v == Nulls.I32) {
                return true;
            }
        }
        return false;
    }

    /** A copy of the raw values. */
    public int[] toArray() {
        return values.clone();
    }

    @Override
    Object array() {
        return values;
    }

    @Override
    int elementsHash() {
        return Arrays.hashCode(values);
    }
}
