package io.rayforce.cluster.client.value;

/** An i16 atom; {@code 0Nh} is {@link Nulls#I16}. */
public record I16Atom(short value) implements Atom {
    public static final I16Atom NULL = new I16Atom(Nulls.I16);

    @Override
    public boolean isNull() {
        return value == Nulls.I16;
    }

    @Override
    public RayType type() {
        return RayType.I16;
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }
}
