package io.rayforce.cluster.router.load;

import io.rayforce.cluster.client.value.RayType;

/** A column of a file being loaded: its name in the table and the type it is read as. */
public record FileColumn(String name, RayType type) {
    @Override
    public String toString() {
        return name + ":" + type.rayfallName();
    }
}
