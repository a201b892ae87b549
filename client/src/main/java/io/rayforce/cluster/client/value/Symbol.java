package io.rayforce.cluster.client.value;

import java.util.Objects;

/**
 * A symbol value (a quoted symbol in Rayfall, {@code 'AAPL}). The empty symbol is null. For a
 * reference to a variable or column use {@link Name}.
 *
 * <p>On the wire the engine marks a literal symbol with the quoted flag ({@code 'a} answers
 * {@code F4 20 ...}) and sends symbols its builtins compute without it ({@code (type 1)},
 * {@code (first [a b])} answer {@code F4 00 ...}). A decoded result keeps which it was
 * ({@link #literal()}), so that it can be sent on byte for byte; in a request every symbol is
 * literal. The flag is not part of the value: symbols are equal by name.
 */
public record Symbol(String name, boolean literal) implements Atom {
    public Symbol {
        Objects.requireNonNull(name, "symbol name");
    }

    /** A literal symbol. */
    public Symbol(String name) {
        this(name, true);
    }

    public static Symbol of(String name) {
        return new Symbol(name);
    }

    /** A symbol as the engine's builtins answer it: without the quoted flag. */
    public static Symbol computed(String name) {
        return new Symbol(name, false);
    }

    /** This symbol as a literal (what a request carries). */
    public Symbol asLiteral() {
        return literal ? this : new Symbol(name);
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
    public boolean equals(Object o) {
        return o instanceof Symbol s && s.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }
}
