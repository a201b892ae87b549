package io.rayforce.cluster.client.query;

import io.rayforce.cluster.client.value.Builtin;
import io.rayforce.cluster.client.value.I16Atom;
import io.rayforce.cluster.client.value.I32Atom;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Recognizes expression trees (from the binary protocol or from
 * {@link io.rayforce.cluster.client.rayfall.RayfallReader}) as query objects: the reverse of
 * {@link Query#ipc()}, so that {@code parse(q.ipc())} equals {@code q}. Function heads may be
 * name references or builtin objects (rayforce-py sends both). Forms the query model has no
 * object for are "not a query" ({@link Optional#empty()}); the caller then treats the tree as
 * an ordinary expression.
 */
public final class Queries {
    private Queries() {
    }

    /** The query object {@code tree} compiles from, or empty when it is not a query. */
    public static Optional<Query> parse(RayValue tree) {
        try {
            return Optional.ofNullable(query(tree));
        } catch (IllegalArgumentException | ClassCastException e) {
            // a shape close to a query but with parts the query model cannot hold
            return Optional.empty();
        }
    }

    /** {@code tree} as an expression: a name is a {@link Column}, a call a {@link Call}, anything else a {@link Literal}. */
    public static Expr expr(RayValue tree) {
        if (tree instanceof Name n) {
            return Column.of(n.name());
        }
        String f = function(tree);
        if (f != null) {
            RayList l = (RayList) tree;
            List<Expr> args = new ArrayList<>(l.length() - 1);
            for (int i = 1; i < l.length(); i++) {
                args.add(expr(l.get(i)));
            }
            return new Call(f, args);
        }
        if (tree instanceof RayList l && l.length() > 0) {
            // a call of a function value or a computed function: not a value, and not one the model can name
            throw new IllegalArgumentException("a call whose function is " + l.get(0).type().rayfallName()
                    + " has no place in the query model");
        }
        return new Literal(tree);
    }

    /** {@code tree} as a table source: a name is a {@link Table}, a select or join that query, else an {@link InlineSource}. */
    public static Source source(RayValue tree) {
        if (tree instanceof Name n) {
            return Table.of(n.name());
        }
        Optional<Query> q = parse(tree);
        if (q.isPresent() && q.get() instanceof Source s) {
            return s;
        }
        return new InlineSource(tree);
    }

    /** The name of the function a call tree applies (a name or a builtin head), or null when it is not a call. */
    public static String function(RayValue tree) {
        if (tree instanceof RayList l && l.length() > 0) {
            if (l.get(0) instanceof Name n) {
                return n.name();
            }
            if (l.get(0) instanceof Builtin b) {
                return b.name();
            }
        }
        return null;
    }

    private static Query query(RayValue tree) {
        String f = function(tree);
        if (f == null) {
            return null;
        }
        RayList l = (RayList) tree;
        int argc = l.length() - 1;
        switch (f) {
            case "select":
                return argc == 1 && l.get(1) instanceof RayDict d ? select(d) : null;
            case "update":
                return argc == 1 && l.get(1) instanceof RayDict d ? update(d) : null;
            case "delete":
                return argc == 1 && l.get(1) instanceof RayDict d ? delete(d) : null;
            case "insert": {
                Table t = argc == 2 ? target(l.get(1)) : null;
                return t == null ? null : new InsertQuery(t, l.get(1) instanceof Symbol, data(l.get(2)));
            }
            case "upsert": {
                Table t = argc == 3 ? target(l.get(1)) : null;
                Long k = argc == 3 ? integer(l.get(2)) : null;
                return t == null || k == null ? null
                        : new UpsertQuery(t, l.get(1) instanceof Symbol, Math.toIntExact(k), data(l.get(3)));
            }
            case "window-join":
            case "window-join1": {
                if (argc != 5 || !(l.get(1) instanceof SymbolVector keys) || !(l.get(5) instanceof RayDict aggs)) {
                    return null;
                }
                return new WindowJoin(keys.toList(), expr(l.get(2)), source(l.get(3)), source(l.get(4)), named(aggs),
                        f.equals("window-join1"));
            }
            case "set": {
                if (argc != 2) {
                    return null;
                }
                String name = l.get(1) instanceof Name n ? n.name() : l.get(1) instanceof Symbol s ? s.name() : null;
                if (name == null) {
                    return null;
                }
                Query inner = query(l.get(2));
                return new IpcSave(name, inner != null ? inner : source(l.get(2)), false);
            }
            case "count": {
                if (argc == 1 && query(l.get(1)) instanceof IpcSave s && !s.returnsCount()) {
                    return s.countOnly();
                }
                return null;
            }
            default: {
                JoinKind kind = JoinKind.ofFunction(f);
                if (kind != null && argc == 3 && l.get(1) instanceof SymbolVector keys) {
                    return new Join(kind, keys.toList(), source(l.get(2)), source(l.get(3)));
                }
                return null;
            }
        }
    }

    /** Entries of a dict as (key, value) pairs, or null when its keys are not symbols. */
    private static List<Entry> entries(RayDict d) {
        if (!(d.keys() instanceof SymbolVector keys) || !(d.values() instanceof Vector vals) || vals.length() != keys.length()) {
            return null;
        }
        List<Entry> out = new ArrayList<>(keys.length());
        for (int i = 0; i < keys.length(); i++) {
            out.add(new Entry(keys.get(i), vals.at(i)));
        }
        return out;
    }

    private record Entry(String key, RayValue value) {
    }

    private static SelectQuery select(RayDict d) {
        List<Entry> entries = entries(d);
        if (entries == null) {
            return null;
        }
        Source from = null;
        Expr where = null;
        Take take = null;
        List<Named> projections = new ArrayList<>();
        List<Named> by = new ArrayList<>();
        List<OrderKey> order = new ArrayList<>();
        for (Entry e : entries) {
            switch (e.key()) {
                case "from" -> {
                    if (from == null) {
                        from = source(e.value());
                    }
                }
                case "where" -> {
                    if (where == null) {
                        where = expr(e.value());
                    }
                }
                case "by" -> by.addAll(groupKeys(e.value(), false));
                case "asc", "desc" -> order.addAll(orderKeys(e.key(), e.value()));
                case "take" -> take = take(e.value());
                default -> projections.add(new Named(e.key(), expr(e.value())));
            }
        }
        return from == null ? null : new SelectQuery(from, projections, where, by, order, take);
    }

    private static UpdateQuery update(RayDict d) {
        List<Entry> entries = entries(d);
        if (entries == null) {
            return null;
        }
        RayValue from = null;
        Expr where = null;
        List<Named> assignments = new ArrayList<>();
        List<Named> by = new ArrayList<>();
        for (Entry e : entries) {
            switch (e.key()) {
                case "from" -> from = from == null ? e.value() : from;
                case "where" -> where = where == null ? expr(e.value()) : where;
                case "by" -> by.addAll(groupKeys(e.value(), true));
                default -> assignments.add(new Named(e.key(), expr(e.value())));
            }
        }
        Table t = from == null ? null : target(from);
        return t == null ? null : new UpdateQuery(t, from instanceof Symbol, assignments, where, by);
    }

    private static DeleteQuery delete(RayDict d) {
        List<Entry> entries = entries(d);
        if (entries == null || entries.size() != 2 || !entries.get(0).key().equals("from")
                || !entries.get(1).key().equals("where")) {
            return null;
        }
        Table t = target(entries.get(0).value());
        return t == null ? null : new DeleteQuery(t, entries.get(0).value() instanceof Symbol, expr(entries.get(1).value()));
    }

    /** {@code 't} (in place) or {@code t} (a copy). */
    private static Table target(RayValue v) {
        if (v instanceof Symbol s && !s.name().isEmpty()) {
            return Table.of(s.name());
        }
        return v instanceof Name n ? Table.of(n.name()) : null;
    }

    private static InsertData data(RayValue v) {
        String f = function(v);
        if ("list".equals(f)) {
            List<Expr> items = new ArrayList<>();
            RayList l = (RayList) v;
            for (int i = 1; i < l.length(); i++) {
                items.add(expr(l.get(i)));
            }
            return new InsertData.Values(items);
        }
        if (v instanceof RayDict d) {
            List<Entry> entries = entries(d);
            if (entries != null && !entries.isEmpty()
                    && entries.stream().allMatch(e -> !(e.value() instanceof Name) && function(e.value()) == null)) {
                return new InsertData.Entries(entries.stream().map(Entry::key).toList(),
                        entries.stream().map(e -> new Literal(e.value())).toList());
            }
        }
        return new InsertData.Other(v);
    }

    /**
     * The keys of a {@code by:}. A bare expression ({@code by: (xbar v 2)}) is a key the model
     * cannot hold in a select: there the engine names it after the last column in it (or
     * {@code key}, when that name is taken by an output column or there is none), groups with
     * aggregates come sorted by key, and without aggregates the key replaces the column it is named
     * after (verified on the engine); such a select is not parsed (the planner then computes it
     * as the engine does). In an update ({@code bareInUpdate}) it is read as before: named after
     * its first column.
     */
    private static List<Named> groupKeys(RayValue v, boolean bareInUpdate) {
        if (v instanceof RayDict d) {
            return named(d);
        }
        List<Named> out = new ArrayList<>();
        if (v instanceof Name n) {
            out.add(Column.of(n.name()).named());
        } else if (v instanceof Symbol s) {
            out.add(Column.of(s.name()).named());
        } else if (v instanceof SymbolVector s) {
            for (String c : s.toList()) {
                out.add(Column.of(c).named());
            }
        } else {
            if (!bareInUpdate) {
                throw new IllegalArgumentException("a bare by: expression, which the engine names and orders its own way: " + v);
            }
            // a bare expression: the engine names the key after the column in it
            Expr e = expr(v);
            String column = firstColumn(e);
            if (column == null) {
                // a constant key (by: 1, by: (+ 1 2)): the engine names it "" or key, depending on the form
                throw new IllegalArgumentException("a by: key that names no column: " + v);
            }
            out.add(new Named(column, e));
        }
        return out;
    }

    private static String firstColumn(Expr e) {
        if (e instanceof Column c) {
            return c.name();
        }
        if (e instanceof Call c) {
            for (Expr a : c.args()) {
                String n = firstColumn(a);
                if (n != null) {
                    return n;
                }
            }
        }
        return null;
    }

    private static List<Named> named(RayDict d) {
        List<Entry> entries = entries(d);
        if (entries == null) {
            if (d.keys() instanceof RayList k && k.length() == 0) {
                return List.of();
            }
            throw new IllegalArgumentException("dict keys are not symbols");
        }
        List<Named> out = new ArrayList<>();
        for (Entry e : entries) {
            out.add(new Named(e.key(), expr(e.value())));
        }
        return out;
    }

    private static List<OrderKey> orderKeys(String dir, RayValue v) {
        OrderKey.Direction d = dir.equals("asc") ? OrderKey.Direction.ASC : OrderKey.Direction.DESC;
        List<OrderKey> out = new ArrayList<>();
        if (v instanceof Name n) {
            out.add(new OrderKey(n.name(), d));
        } else if (v instanceof Symbol s) {
            out.add(new OrderKey(s.name(), d));
        } else if (v instanceof SymbolVector s) {
            for (String c : s.toList()) {
                out.add(new OrderKey(c, d));
            }
        } else {
            throw new IllegalArgumentException("sort key is not a column");
        }
        return out;
    }

    private static Take take(RayValue v) {
        Long n = integer(v);
        if (n != null) {
            return Take.first(n);
        }
        if (v instanceof I64Vector r && r.length() == 2) {
            return Take.range(r.get(0), r.get(1));
        }
        throw new IllegalArgumentException("take is not a count or [start count]");
    }

    private static Long integer(RayValue v) {
        if (v instanceof I64Atom i) {
            return i.value();
        }
        if (v instanceof I32Atom i) {
            return (long) i.value();
        }
        if (v instanceof I16Atom i) {
            return (long) i.value();
        }
        return null;
    }
}
