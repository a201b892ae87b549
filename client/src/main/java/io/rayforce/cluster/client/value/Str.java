package io.rayforce.cluster.client.value;

import java.util.Objects;

/**
 * A string atom (text, sent as UTF-8 bytes); the empty string is null. A string payload is
 * evaluated as Rayfall source.
 */
public record Str(String value) implements Atom {
    public Str {
        Objects.requireNonNull(value, "string");
    }

    public static Str of(String value) {
        return new Str(value);
    }

    /** The engine treats the empty string as null. */
    @Override
    public boolean isNull() {
        return value.isEmpty();
    }

    @Override
    public RayType type() {
        return RayType.STRING;
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }
}
