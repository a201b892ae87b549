package io.rayforce.cluster.client.value;

import java.util.Arrays;

/** A vector stored as 64-bit integers: i64 and timestamp. {@link Nulls#I64} marks nulls. */
public abstract sealed class LongBackedVector extends Vector permits I64Vector, TimestampVector, TimespanVector {
    final long[] values;

    LongBackedVector(long[] values) {
        this.values = values;
    }

    /** The raw 64-bit value (nanoseconds since 2000-01-01 for timestamps). */
    public long get(int index) {
        return values[index];
    }

    @Override
    public boolean isNull(int index) {
        return values[index] == Nulls.I64;
    }

    @Override
    public int length() {
        return values.length;
    }

    @Override
    public boolean hasNulls() {
        for (long v : values) {
            if (v == Nulls.I64) {
                return true;
            }
        }
        return false;
    }

    /** A copy of the raw values. */
    public long[] toArray() {
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
