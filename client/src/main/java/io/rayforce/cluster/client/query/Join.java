package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import java.util.List;
import java.util.Objects;

/**
 * {@code (left-join [keys] L R)} and the other key joins. Both sides are sources on the server
 * (tables by name, or queries), so no table is shipped with the request. For {@link JoinKind#ASOF}
 * the last key is the time column.
 */
public record Join(JoinKind kind, List<String> keys, Source left, Source right) implements Query, Source {
    public Join {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        keys = List.copyOf(keys);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(kind.function() + " needs at least one key column");
        }
        for (String k : keys) {
            if (!RayfallPrinter.isWord(k)) {
                throw new IllegalArgumentException("'" + k + "' is not a column name");
            }
        }
    }

    @Override
    public RayValue ipc() {
        return RayList.of(Name.of(kind.function()), SymbolVector.of(keys), left.ipc(), right.ipc());
    }

    @Override
    public String toString() {
        return RayfallPrinter.print(ipc());
    }
}
