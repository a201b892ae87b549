package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import java.util.Objects;

/** {@code (delete {from: 't where: pred})}: removes the matching rows (in place, returning {@code t}). */
public record DeleteQuery(Table table, boolean inPlace, Expr where) implements Query {
    public DeleteQuery {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(where, "a delete needs a where predicate (the engine refuses one without)");
    }

    @Override
    public RayValue ipc() {
        return RayList.of(Name.of("delete"), new RayDict(SymbolVector.of("from", "where"),
                RayList.of(inPlace ? table.symbol() : table.ipc(), where.ipc())));
    }

    @Override
    public String toString() {
        return RayfallPrinter.print(ipc());
    }
}
