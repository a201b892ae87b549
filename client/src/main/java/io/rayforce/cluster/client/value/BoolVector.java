package io.rayforce.cluster.client.value;

import java.util.Arrays;

/** A b8 vector. */
public final class BoolVector extends Vector {
    private final boolean[] values;

    /** Takes ownership of {@code values}. */
    public BoolVector(boolean[] values) {
        this.values = values;
    }

    public static BoolVector of(boolean... values) {
        return new BoolVector(values.clone());
    }

    public boolean get(int index) {
        return values[index];
    }

    @Override
    public boolean isNull(int index) {
        return false;
    }

    @Override
    public BoolAtom at(int index) {
        return BoolAtom.of(values[index]);
    }

    @Override
    public RayType type() {
        return RayType.B8;
    }

    @Override
    Object array() {
        return values;
    }

    @Override
    Vector withArray(Object array) {
        return new BoolVector((boolean[]) array);
    }

    @Override
    int elementsHash() {
        return Arrays.hashCode(values);
    }
}
