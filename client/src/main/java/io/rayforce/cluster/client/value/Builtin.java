package io.rayforce.cluster.client.value;

import java.util.Objects;

/**
 * A builtin function sent by name (unary, binary or variadic); the receiver looks the name up in
 * its own environment.
 */
public record Builtin(RayType kind, String name) implements RayValue {
    /** The longest name the wire format carries. */
    public static final int MAX_NAME_BYTES = 15;

    public Builtin {
        Objects.requireNonNull(name, "builtin name");
        if (kind != RayType.UNARY && kind != RayType.BINARY && kind != RayType.VARY) {
            throw new IllegalArgumentException("builtin kind must be unary, binary or vary, got " + kind);
        }
    }

    @Override
    public RayType type() {
        return kind;
    }

    @Override
    public String toString() {
        return name;
    }
}
