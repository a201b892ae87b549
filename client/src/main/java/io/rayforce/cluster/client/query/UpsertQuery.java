package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import java.util.Objects;

/**
 * {@code (upsert 't keyColumns data)}: rows whose first {@code keyColumns} columns match an
 * existing row update it; the others are appended.
 */
public record UpsertQuery(Table table, boolean inPlace, int keyColumns, InsertData data) implements Query {
    public UpsertQuery {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(data, "data");
        if (keyColumns < 1) {
            throw new IllegalArgumentException("upsert needs at least one key column, got " + keyColumns);
        }
    }

    @Override
    public RayValue ipc() {
        return RayList.of(Name.of("upsert"), inPlace ? table.symbol() : table.ipc(), I64Atom.of(keyColumns), data.ipc());
    }

    @Override
    public String toString() {
        return RayfallPrinter.print(ipc());
    }
}
