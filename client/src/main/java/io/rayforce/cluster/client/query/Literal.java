package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.Builtin;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import java.util.Objects;

/** A value written into a query as it is: an atom, vector, dict or table of the value model. */
public record Literal(RayValue value) implements Expr {
    public Literal {
        Objects.requireNonNull(value, "literal value");
        if (value instanceof Name) {
            throw new IllegalArgumentException("a name reference is a Column, not a Literal");
        }
        if (value instanceof RayList l && l.length() > 0 && (l.get(0) instanceof Name || l.get(0) instanceof Builtin)) {
            throw new IllegalArgumentException("a list whose head is a function is a Call, not a Literal");
        }
    }

    @Override
    public RayValue ipc() {
        return value;
    }

    @Override
    public String toString() {
        return RayfallPrinter.print(value);
    }
}
