package io.rayforce.cluster.client.value;

import java.util.Objects;

/**
 * A user function as the engine serializes it: its attribute byte, its parameters, its body and,
 * when attribute bit 01 is set, its closure. Carried through unchanged.
 */
public record Lambda(byte attrs, RayValue params, RayValue body, RayValue closure) implements RayValue {
    public static final byte HAS_CLOSURE = 0x01;

    public Lambda {
        Objects.requireNonNull(params, "lambda params");
        Objects.requireNonNull(body, "lambda body");
        if (((attrs & HAS_CLOSURE) != 0) != (closure != null)) {
            throw new IllegalArgumentException("lambda closure must be present exactly when attrs bit 01 is set");
        }
    }

    @Override
    public RayType type() {
        return RayType.LAMBDA;
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }
}
