package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayValue;
import java.util.Objects;

/** A reference to a column (or any global) by name; compiles to a name reference. */
public record Column(String name) implements Expr, Projection {
    public Column {
        Objects.requireNonNull(name, "column name");
        if (!RayfallPrinter.isNameToken(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a Rayfall name (letters, digits and "
                    + "!#$%&*+,-./<=>?@^_|~, not starting with a digit)");
        }
    }

    public static Column of(String name) {
        return new Column(name);
    }

    @Override
    public RayValue ipc() {
        return Name.of(name);
    }

    @Override
    public Named named() {
        return new Named(name, this);
    }

    @Override
    public String toString() {
        return name;
    }
}
