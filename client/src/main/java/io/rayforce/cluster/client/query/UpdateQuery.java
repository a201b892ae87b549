package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code (update {col: expr ... from: 't where: pred by: {...}})}. In place ({@code 't}) it
 * changes the server's table and returns the symbol {@code t}; otherwise ({@code from: t}) it
 * returns a changed copy. The engine refuses {@code where} together with {@code by}.
 */
public record UpdateQuery(Table table, boolean inPlace, List<Named> assignments, Expr where, List<Named> by)
        implements Query {
    public UpdateQuery {
        Objects.requireNonNull(table, "table");
        assignments = List.copyOf(assignments);
        by = List.copyOf(by);
        for (Named a : assignments) {
            if (SelectQuery.RESERVED.contains(a.name())) {
                throw new IllegalArgumentException("an update cannot assign a column named '" + a.name() + "'");
            }
        }
    }

    /** Adds a filter; several filters are joined with {@code and}. */
    public UpdateQuery where(Expr predicate) {
        Expr w = where == null ? predicate : where instanceof Call c && c.function().equals("and")
                ? new Call("and", concat(c.args(), predicate)) : new Call("and", List.of(where, predicate));
        return new UpdateQuery(table, inPlace, assignments, w, by);
    }

    /** Computes the assignments per group of these columns. */
    public UpdateQuery by(String... columns) {
        List<Named> b = new ArrayList<>(by);
        for (String c : columns) {
            b.add(Column.of(c).named());
        }
        return new UpdateQuery(table, inPlace, assignments, where, b);
    }

    /** Another assignment; a String value is a symbol. */
    public UpdateQuery set(String column, Object value) {
        List<Named> a = new ArrayList<>(assignments);
        a.add(new Named(column, Literals.data(value)));
        return new UpdateQuery(table, inPlace, a, where, by);
    }

    /** The same update returning a changed copy, leaving the server's table as it is. */
    public UpdateQuery copy() {
        return new UpdateQuery(table, false, assignments, where, by);
    }

    @Override
    public RayValue ipc() {
        List<String> keys = new ArrayList<>();
        List<RayValue> vals = new ArrayList<>();
        for (Named a : assignments) {
            keys.add(a.name());
            vals.add(a.expr().ipc());
        }
        if (!by.isEmpty()) {
            keys.add("by");
            vals.add(SelectQuery.namedDict(by));
        }
        keys.add("from");
        vals.add(inPlace ? table.symbol() : table.ipc());
        if (where != null) {
            keys.add("where");
            vals.add(where.ipc());
        }
        return RayList.of(Name.of("update"), new RayDict(SymbolVector.of(keys), RayList.of(vals)));
    }

    static List<Expr> concat(List<Expr> a, Expr b) {
        List<Expr> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }

    @Override
    public String toString() {
        return RayfallPrinter.print(ipc());
    }
}
