package io.rayforce.cluster.client.value;

import java.util.Arrays;

/** An i16 vector; {@link Nulls#I16} marks nulls. */
public final class I16Vector extends Vector {
    private final short[] values;

    /** Takes ownership of {@code values}. */
    public I16Vector(short[] values) {
        this.values = values;
    }

    public static I16Vector of(short... values) {
        return new I16Vector(values.clone());
    }

    public short get(int index) {
        return values[index];
    }

    @Override
    public boolean isNull(int index) {
        return values[index] == Nulls.I16;
    }

    @Override
    public I16Atom at(int index) {
        return new I16Atom(values[index]);
    }

    @Override
    public RayType type() {
        return RayType.I16;
    }

    @Override
    Object array() {
        return values;
    }

    @Override
    Vector withArray(Object array) {
        return new I16Vector((short[]) array);
    }

    @Override
    int elementsHash() {
        return Arrays.hashCode(values);
    }
}
