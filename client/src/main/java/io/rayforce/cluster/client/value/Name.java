package io.rayforce.cluster.client.value;

import java.util.Objects;

/**
 * A name reference: a symbol the engine resolves when it evaluates (a column, a global, a
 * function such as {@code select} or {@code +}). On the wire it is a symbol atom without the
 * quoted flag.
 */
public record Name(String name) implements Atom {
    public Name {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a name reference cannot be empty");
        }
    }

    public static Name of(String name) {
        return new Name(name);
    }

    @Override
    public RayType type() {
        return RayType.SYMBOL;
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }
}
