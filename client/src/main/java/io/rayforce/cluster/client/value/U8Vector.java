package io.rayforce.cluster.client.value;

import java.util.Arrays;

/** A u8 vector (unsigned bytes). */
public final class U8Vector extends Vector {
    private final byte[] values;

    /** Takes ownership of {@code values}. */
    public U8Vector(byte[] values) {
        this.values = values;
    }

    public static U8Vector of(int... unsigned) {
        byte[] b = new byte[unsigned.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = U8Atom.of(unsigned[i]).value();
        }
        return new U8Vector(b);
    }

    public byte get(int index) {
        return values[index];
    }

    public int unsigned(int index) {
        return Byte.toUnsignedInt(values[index]);
    }

    @Override
    public boolean isNull(int index) {
        return false;
    }

    @Override
    public U8Atom at(int index) {
        return new U8Atom(values[index]);
    }

    @Override
    public RayType type() {
        return RayType.U8;
    }

    @Override
    Object array() {
        return values;
    }

    @Override
    Vector withArray(Object array) {
        return new U8Vector((byte[]) array);
    }

    @Override
    int elementsHash() {
        return Arrays.hashCode(values);
    }
}
