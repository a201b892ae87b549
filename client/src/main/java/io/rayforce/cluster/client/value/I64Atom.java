package io.rayforce.cluster.client.value;

/** An i64 atom; {@code 0Nl} is {@link Nulls#I64}. */
public record I64Atom(long value) implements Atom {
    public static final I64Atom NULL = new I64Atom(Nulls.I64);

    public static I64Atom of(long value) {
        return new I64Atom(value);
    }

    @Override
    public boolean isNull() {
        return value == Nulls.I64;
    }

    @Override
    public RayType type() {
        return RayType.I64;
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }
}
