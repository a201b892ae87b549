package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import java.util.List;
import java.util.Objects;

/**
 * {@code (window-join [keys... time] intervals L R {agg: expr ...})}: for each row of L, the
 * aggregations over R's rows with equal keys whose time lies in that row's window (both ends
 * inclusive). {@code window-join} also counts the R row in force at the window start;
 * {@code window-join1} ({@link #insideOnly()}, {@code onlyInside}) only the rows inside. {@code intervals} is a list
 * of window starts and ends; {@link #of} builds it as {@code (map-left + [lo hi] (at L 'time))}.
 */
public record WindowJoin(List<String> keys, Expr intervals, Source left, Source right, List<Named> aggregations,
        boolean onlyInside) implements Query, Source {
    public WindowJoin {
        keys = List.copyOf(keys);
        aggregations = List.copyOf(aggregations);
        Objects.requireNonNull(intervals, "intervals");
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a window join needs its time column as the last key");
        }
        if (aggregations.isEmpty()) {
            throw new IllegalArgumentException("a window join needs at least one aggregation");
        }
    }

    /** Windows {@code [time + lo, time + hi]} around each left row's time (the last key), in the time column's unit. */
    public static WindowJoin of(List<String> keysThenTime, Source left, Source right, long lo, long hi, List<Named> aggregations) {
        String time = keysThenTime.get(keysThenTime.size() - 1);
        Expr intervals = new Call("map-left", List.of(Column.of("+"), new Literal(I64Vector.of(lo, hi)),
                new Call("at", List.of(Queries.expr(left.ipc()), new Literal(Symbol.of(time))))));
        return new WindowJoin(keysThenTime, intervals, left, right, aggregations, false);
    }

    /** The same join counting only the right rows inside each window ({@code window-join1}). */
    public WindowJoin insideOnly() {
        return new WindowJoin(keys, intervals, left, right, aggregations, true);
    }

    @Override
    public RayValue ipc() {
        return RayList.of(Name.of(onlyInside ? "window-join1" : "window-join"), SymbolVector.of(keys), intervals.ipc(),
                left.ipc(), right.ipc(), SelectQuery.namedDict(aggregations));
    }

    @Override
    public String toString() {
        return RayfallPrinter.print(ipc());
    }
}
