package io.rayforce.cluster.client.value;

import java.util.Arrays;
import java.util.List;

/** A vector of strings (wire type 13); the empty string is null. Elements are never Java null. */
public final class StringVector extends Vector {
    private final String[] values;

    /** Takes ownership of {@code values}. */
    public StringVector(String[] values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException("string " + i + " is Java null");
            }
        }
        this.values = values;
    }

    public static StringVector of(String... values) {
        return new StringVector(values.clone());
    }

    public String get(int index) {
        return values[index];
    }

    public List<String> toList() {
        return List.of(values);
    }

    @Override
    public boolean isNull(int index) {
        return values[index].isEmpty();
    }

    @Override
    public Str at(int index) {
        return new Str(values[index]);
    }

    @Override
    public RayType type() {
        return RayType.STRING;
    }

    @Override
    Object array() {
        return values;
    }

    @Override
    Vector withArray(Object array) {
        return new StringVector((String[]) array);
    }

    @Override
    int elementsHash() {
        return Arrays.hashCode(values);
    }
}
