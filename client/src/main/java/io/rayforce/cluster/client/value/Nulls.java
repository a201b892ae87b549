package io.rayforce.cluster.client.value;

/** The engine's null sentinels per type (b8 and u8 have none). */
public final class Nulls {
    public static final short I16 = Short.MIN_VALUE;
    public static final int I32 = Integer.MIN_VALUE;
    public static final long I64 = Long.MIN_VALUE;
    public static final float F32 = Float.NaN;
    public static final double F64 = Double.NaN;
    /** The null symbol is the empty symbol. */
    public static final String SYMBOL = "";

    private Nulls() {
    }
}
