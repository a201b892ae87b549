package io.rayforce.cluster.client.value;

/** A u8 atom: one unsigned byte. */
public record U8Atom(byte value) implements Atom {
    public static U8Atom of(int unsigned) {
        if (unsigned < 0 || unsigned > 255) {
            throw new IllegalArgumentException("u8 must be 0..255, got " + unsigned);
        }
        return new U8Atom((byte) unsigned);
    }

    public int unsigned() {
        return Byte.toUnsignedInt(value);
    }

    @Override
    public RayType type() {
        return RayType.U8;
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }
}
