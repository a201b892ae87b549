package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.RayValue;
import java.util.Objects;

/** A table source given as any other expression: a table value, a {@code (table ...)} call, an update. */
public record InlineSource(RayValue tree) implements Source {
    public InlineSource {
        Objects.requireNonNull(tree, "tree");
    }

    @Override
    public RayValue ipc() {
        return tree;
    }

    @Override
    public String toString() {
        return RayfallPrinter.print(tree);
    }
}
