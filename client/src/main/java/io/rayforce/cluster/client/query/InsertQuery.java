package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import java.util.Objects;

/** {@code (insert 't data)}: appends rows; in place it returns the symbol {@code t}. */
public record InsertQuery(Table table, boolean inPlace, InsertData data) implements Query {
    public InsertQuery {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public RayValue ipc() {
        return RayList.of(Name.of("insert"), inPlace ? table.symbol() : table.ipc(), data.ipc());
    }

    @Override
    public String toString() {
        return RayfallPrinter.print(ipc());
    }
}
