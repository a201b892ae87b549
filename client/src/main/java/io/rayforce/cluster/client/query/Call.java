package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A call {@code (function args...)} of a Rayfall function by name. */
public record Call(String function, List<Expr> args) implements Expr {
    public Call {
        Objects.requireNonNull(function, "function");
        if (!RayfallPrinter.isNameToken(function)) {
            throw new IllegalArgumentException("'" + function + "' is not a Rayfall function name");
        }
        args = List.copyOf(args);
    }

    @Override
    public RayValue ipc() {
        List<RayValue> items = new ArrayList<>(args.size() + 1);
        items.add(Name.of(function));
        for (Expr a : args) {
            items.add(a.ipc());
        }
        return RayList.of(items);
    }

    @Override
    public String toString() {
        return RayfallPrinter.print(ipc());
    }
}
