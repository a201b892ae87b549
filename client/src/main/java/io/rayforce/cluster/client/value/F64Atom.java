package io.rayforce.cluster.client.value;

/** An f64 atom; NaN ({@code 0Nf}) is null. */
public record F64Atom(double value) implements Atom {
    public static final F64Atom NULL = new F64Atom(Nulls.F64);

    public static F64Atom of(double value) {
        return new F64Atom(value);
    }

    @Override
    public boolean isNull() {
        return Double.isNaN(value);
    }

    @Override
    public RayType type() {
        return RayType.F64;
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }
}
