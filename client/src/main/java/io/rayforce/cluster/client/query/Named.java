package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import java.util.Objects;

/** An expression under an output name: a select projection, a group key or an aggregation. */
public record Named(String name, Expr expr) implements Projection {
    public Named {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expr, "expression");
        if (!RayfallPrinter.isWord(name)) {
            throw new IllegalArgumentException("'" + name + "' cannot be a column name in a Rayfall dict "
                    + "(letters, digits and !#$%&*+,-./<=>?@^_|~ only)");
        }
    }

    @Override
    public Named named() {
        return this;
    }

    @Override
    public String toString() {
        return name + ": " + expr;
    }
}
