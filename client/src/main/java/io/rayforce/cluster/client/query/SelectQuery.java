package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code (select {proj: expr ... by: {key: expr} from: src where: pred asc: c desc: c take: n})}.
 * Output columns follow the projections in order (group keys first when grouped); no
 * projections selects every column. Sort keys apply in order, one dict entry each; take applies
 * last. Immutable: each method returns a new query.
 */
public record SelectQuery(Source from, List<Named> projections, Expr where, List<Named> by, List<OrderKey> order, Take take)
        implements Query, Source {
    /** Dict keys select reads itself; a projection cannot use them as its name. */
    public static final Set<String> RESERVED = Set.of("from", "where", "by", "asc", "desc", "take");

    public SelectQuery {
        Objects.requireNonNull(from, "from");
        projections = List.copyOf(projections);
        by = List.copyOf(by);
        order = List.copyOf(order);
        for (Named p : projections) {
            if (RESERVED.contains(p.name())) {
                throw new IllegalArgumentException("a select projection cannot be named '" + p.name()
                        + "': select reads that key itself");
            }
        }
    }

    /** Every column of {@code source}. */
    public static SelectQuery from(Source source) {
        return new SelectQuery(source, List.of(), null, List.of(), List.of(), null);
    }

    /** Adds columns by name; {@code "*"} adds nothing (all columns when there are no projections). */
    public SelectQuery select(String... columns) {
        List<Named> p = new ArrayList<>(projections);
        for (String c : columns) {
            if (!c.equals("*")) {
                p.add(Column.of(c).named());
            }
        }
        return withProjections(p);
    }

    public SelectQuery select(Projection... items) {
        List<Named> p = new ArrayList<>(projections);
        p.addAll(Table.named(items));
        return withProjections(p);
    }

    /** This select over another source (a shard's global, say). */
    public SelectQuery withSource(Source source) {
        return new SelectQuery(source, projections, where, by, order, take);
    }

    /** The projections replaced. */
    public SelectQuery withProjections(List<Named> p) {
        return new SelectQuery(from, p, where, by, order, take);
    }

    /** Adds a filter; several filters are joined with {@code and}. */
    @Override
    public SelectQuery where(Expr predicate) {
        Objects.requireNonNull(predicate, "predicate");
        Expr w;
        if (where == null) {
            w = predicate;
        } else if (where instanceof Call c && c.function().equals("and")) {
            List<Expr> args = new ArrayList<>(c.args());
            args.add(predicate);
            w = new Call("and", args);
        } else {
            w = new Call("and", List.of(where, predicate));
        }
        return new SelectQuery(from, projections, w, by, order, take);
    }

    /** Groups by columns (each its own key). */
    public SelectQuery by(String... columns) {
        List<Named> b = new ArrayList<>(by);
        for (String c : columns) {
            b.add(Column.of(c).named());
        }
        return new SelectQuery(from, projections, where, b, order, take);
    }

    /** Groups by named keys, e.g. {@code by(col("px").gt(30).as("big"))}. */
    public SelectQuery by(Projection... keys) {
        List<Named> b = new ArrayList<>(by);
        b.addAll(Table.named(keys));
        return new SelectQuery(from, projections, where, b, order, take);
    }

    /** Sorts ascending by these columns (after any earlier keys). */
    public SelectQuery orderBy(String... columns) {
        List<OrderKey> o = new ArrayList<>(order);
        for (String c : columns) {
            o.add(OrderKey.asc(c));
        }
        return new SelectQuery(from, projections, where, by, o, take);
    }

    /** Sorts descending by these columns (after any earlier keys). */
    public SelectQuery orderByDesc(String... columns) {
        List<OrderKey> o = new ArrayList<>(order);
        for (String c : columns) {
            o.add(OrderKey.desc(c));
        }
        return new SelectQuery(from, projections, where, by, o, take);
    }

    public SelectQuery orderBy(OrderKey... keys) {
        List<OrderKey> o = new ArrayList<>(order);
        o.addAll(List.of(keys));
        return new SelectQuery(from, projections, where, by, o, take);
    }

    /** The first {@code n} rows (the last ones when negative). */
    public SelectQuery take(long n) {
        return new SelectQuery(from, projections, where, by, order, Take.first(n));
    }

    /** The same as {@link #take(long)}. */
    public SelectQuery limit(long n) {
        return take(n);
    }

    /** {@code n} rows after skipping {@code offset}. */
    public SelectQuery limit(long n, long offset) {
        return new SelectQuery(from, projections, where, by, order, Take.range(offset, n));
    }

    @Override
    public RayValue ipc() {
        List<String> keys = new ArrayList<>();
        List<RayValue> vals = new ArrayList<>();
        for (Named p : projections) {
            keys.add(p.name());
            vals.add(p.expr().ipc());
        }
        if (!by.isEmpty()) {
            keys.add("by");
            vals.add(namedDict(by));
        }
        keys.add("from");
        vals.add(from.ipc());
        if (where != null) {
            keys.add("where");
            vals.add(where.ipc());
        }
        for (OrderKey k : order) {
            keys.add(k.direction().key());
            vals.add(Name.of(k.column()));
        }
        if (take != null) {
            keys.add("take");
            vals.add(take.start() == null ? I64Atom.of(take.count()) : I64Vector.of(take.start(), take.count()));
        }
        return RayList.of(Name.of("select"), new RayDict(SymbolVector.of(keys), RayList.of(vals)));
    }

    static RayDict namedDict(List<Named> items) {
        List<String> k = new ArrayList<>();
        List<RayValue> v = new ArrayList<>();
        for (Named n : items) {
            k.add(n.name());
            v.add(n.expr().ipc());
        }
        return new RayDict(k.isEmpty() ? RayList.EMPTY : SymbolVector.of(k), RayList.of(v));
    }

    @Override
    public String toString() {
        return RayfallPrinter.print(ipc());
    }
}
