package io.rayforce.cluster.client.value;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A generic list: elements of any type. A list whose first element is a function (a name
 * reference or a builtin) is a call when the engine evaluates it.
 */
public final class RayList extends Vector {
    public static final RayList EMPTY = new RayList(new RayValue[0]);

    private final RayValue[] items;

    /** Takes ownership of {@code items}. */
    public RayList(RayValue[] items) {
        for (int i = 0; i < items.length; i++) {
            Objects.requireNonNull(items[i], () -> "list item is Java null");
        }
        this.items = items;
    }

    public static RayList of(RayValue... items) {
        return new RayList(items.clone());
    }

    public static RayList of(List<? extends RayValue> items) {
        return new RayList(items.toArray(new RayValue[0]));
    }

    public RayValue get(int index) {
        return items[index];
    }

    public List<RayValue> toList() {
        return List.of(items);
    }

    @Override
    public boolean isNull(int index) {
        return items[index] instanceof RayNull;
    }

    @Override
    public RayValue at(int index) {
        return items[index];
    }

    @Override
    public boolean hasNulls() {
        return false;
    }

    @Override
    public RayType type() {
        return RayType.LIST;
    }

    @Override
    Object array() {
        return items;
    }

    @Override
    Vector withArray(Object array) {
        return new RayList((RayValue[]) array);
    }

    @Override
    int elementsHash() {
        return Arrays.hashCode(items);
    }
}
