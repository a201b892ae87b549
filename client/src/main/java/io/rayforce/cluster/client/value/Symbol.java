package io.rayforce.cluster.client.value;

import java.util.Objects;

/**
 * A symbol value (a quoted symbol in Rayfall, {@code 'AAPL}). The empty symbol is null. For a
 * reference to a variable or column use {@link Name}.
 */
public record Symbol(String name) implements Atom {
    public Symbol {
        Objects.requireNonNull(name, "symbol name");
    }

    public static Symbol of(String name) {
        return new Symbol(name);
    }

    @Override
    public boolean isNull() {
        return name.isEmpty();
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
