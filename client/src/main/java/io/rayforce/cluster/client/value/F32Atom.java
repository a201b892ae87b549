package io.rayforce.cluster.client.value;

/** An f32 atom; NaN is null. */
public record F32Atom(float value) implements Atom {
    public static final F32Atom NULL = new F32Atom(Nulls.F32);

    @Override
    public boolean isNull() {
        return Float.isNaN(value);
    }

    @Override
    public RayType type() {
        return RayType.F32;
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }
}
