package io.rayforce.cluster.client.value;

import java.util.Objects;

/**
 * A dictionary: a keys value and a values value of the same length (usually a symbol vector of
 * keys and a list or typed vector of values).
 */
public record RayDict(RayValue keys, RayValue values) implements RayValue {
    public RayDict {
        Objects.requireNonNull(keys, "dict keys");
        Objects.requireNonNull(values, "dict values");
    }

    /** A dict with symbol keys and one value per key. */
    public static RayDict of(SymbolVector keys, RayValue... values) {
        if (keys.length() != values.length) {
            throw new IllegalArgumentException("dict has " + keys.length() + " keys but " + values.length + " values");
        }
        return new RayDict(keys, RayList.of(values));
    }

    /** The value stored under the symbol key {@code key}, or null when there is none. */
    public RayValue get(String key) {
        if (keys instanceof SymbolVector names && values instanceof Vector vals) {
            int i = names.indexOf(key);
            return i < 0 ? null : vals.at(i);
        }
        return null;
    }

    @Override
    public RayType type() {
        return RayType.DICT;
    }

    @Override
    public String toString() {
        return Printing.text(this);
    }
}
