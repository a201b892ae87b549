package io.rayforce.cluster.client.value;

/** A b8 atom: {@code true} or {@code false}. */
public record BoolAtom(boolean value) implements Atom {
    public static final BoolAtom TRUE = new BoolAtom(true);
    public static final BoolAtom FALSE = new BoolAtom(false);

    public static BoolAtom of(boolean value) {
        return value ? TRUE : FALSE;
    }

    @Override
    public RayType type() {
        return RayType.B8;
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }
}
