package io.rayforce.cluster.client.value;

/** The generic null: "no value" (wire byte 7E), as returned by statements with no result. */
public final class RayNull implements RayValue {
    public static final RayNull INSTANCE = new RayNull();

    private RayNull() {
    }

    @Override
    public RayType type() {
        return RayType.NULL;
    }

    @Override
    public String toString() {
        return "null";
    }
}
