package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.Encodable;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import java.util.Objects;

/**
 * {@code (set name <query>)}: evaluates the query on the server and stores the result under the
 * global {@code name}. The name is sent as a name reference ({@code set} does not evaluate it),
 * which the engine accepts, unlike rayforce-py's string name. It returns the whole stored value;
 * {@link #countOnly()} sends {@code (count (set name <query>))} instead, so only the row count
 * comes back.
 */
public record IpcSave(String name, Encodable value, boolean returnsCount) implements Query {
    public IpcSave {
        Objects.requireNonNull(value, "value");
        if (name == null || !RayfallPrinter.isNameToken(name)) {
            throw new IllegalArgumentException("'" + name + "' cannot be a global name");
        }
    }

    /** The same save, answering only the stored row count. */
    public IpcSave countOnly() {
        return new IpcSave(name, value, true);
    }

    @Override
    public RayValue ipc() {
        RayValue set = RayList.of(Name.of("set"), Name.of(name), value.ipc());
        return returnsCount ? RayList.of(Name.of("count"), set) : set;
    }

    @Override
    public String toString() {
        return RayfallPrinter.print(ipc());
    }
}
