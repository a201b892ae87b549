package io.rayforce.cluster.client.value;

/** An i32 atom; {@code 0Ni} is {@link Nulls#I32}. */
public record I32Atom(int value) implements Atom {
    public static final I32Atom NULL = new I32Atom(Nulls.I32);

    @Override
    public boolean isNull() {
        return value == Nulls.I32;
    }

    @Override
    public RayType type() {
        return RayType.I32;
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }
}
