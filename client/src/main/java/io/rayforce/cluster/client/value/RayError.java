package io.rayforce.cluster.client.value;

import java.util.Objects;

/** An error value as the engine sends it: only its code (for example {@code type} or {@code domain}). */
public record RayError(String code) implements RayValue {
    /** The longest code the wire can carry. */
    public static final int MAX_CODE_BYTES = 8;

    public RayError {
        Objects.requireNonNull(code, "error code");
    }

    @Override
    public RayType type() {
        return RayType.ERROR;
    }

    @Override
    public String toString() {
        return "error:" + code;
    }
}
