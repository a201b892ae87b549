package io.rayforce.cluster.client.value;

import java.util.Arrays;
import java.util.List;

/** A symbol vector; the empty symbol is null. Elements are never Java null. */
public final class SymbolVector extends Vector {
    private final String[] names;

    /** Takes ownership of {@code names}. */
    public SymbolVector(String[] names) {
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null) {
                throw new IllegalArgumentException("symbol " + i + " is Java null; the null symbol is \"\"");
            }
        }
        this.names = names;
    }

    public static SymbolVector of(String... names) {
        return new SymbolVector(names.clone());
    }

    public static SymbolVector of(List<String> names) {
        return new SymbolVector(names.toArray(new String[0]));
    }

    public String get(int index) {
        return names[index];
    }

    /** The symbols as an unmodifiable list. */
    public List<String> toList() {
        return List.of(names);
    }

    public int indexOf(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean isNull(int index) {
        return names[index].isEmpty();
    }

    @Override
    public int length() {
        return names.length;
    }

    @Override
    public boolean hasNulls() {
        for (String n : names) {
            if (n.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The element as the engine answers one taken from a vector ({@code (first v)}, {@code (at v 0)}):
     * a computed symbol, without the quoted flag (a request quotes it anyway).
     */
    @Override
    public Symbol at(int index) {
        return Symbol.computed(names[index]);
    }

    @Override
    public RayType type() {
        return RayType.SYMBOL;
    }

    @Override
    Object array() {
        return names;
    }

    @Override
    Vector withArray(Object array) {
        return new SymbolVector((String[]) array);
    }

    @Override
    int elementsHash() {
        return Arrays.hashCode(names);
    }

}
