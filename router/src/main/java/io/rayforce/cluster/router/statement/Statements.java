package io.rayforce.cluster.router.statement;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.query.DeleteQuery;
import io.rayforce.cluster.client.query.Queries;
import io.rayforce.cluster.client.query.Query;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.client.query.UpdateQuery;
import io.rayforce.cluster.client.rayfall.Builtins;
import io.rayforce.cluster.client.rayfall.DataPathGate;
import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.Atom;
import io.rayforce.cluster.client.value.Builtin;
import io.rayforce.cluster.client.value.I16Atom;
import io.rayforce.cluster.client.value.I32Atom;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Recognizes the requests the write path handles, before the read planner sees them: writes
 * ({@code insert}, {@code upsert}, {@code update}, {@code delete}) naming a cluster table,
 * {@code set} (ipcsave), and {@code .cluster.*} admin functions. In-place writes ({@code 't})
 * to a name that is not a cluster table fail as on one server ({@code domain}).
 */
public final class Statements {
    /**
     * The engine's functions that write a table or a global: a request calling one may change data.
     * ({@code let} writes a global only outside a function: {@code WriteRequests} judges it there.)
     */
    public static final Set<String> WRITE_FUNCTIONS = Set.of("insert", "upsert", "update", "delete", "set", "del", "alter");
    /** The prefix of the cluster admin functions. */
    public static final String ADMIN_PREFIX = ".cluster.";
    /** The gateway's own function that answers the connection's last error text. */
    public static final String LAST_ERROR = ".cluster.lastError";
    /** Every cluster admin function the write path carries out. */
    public static final List<String> ADMIN_FUNCTIONS = List.of(".cluster.create", ".cluster.createReplicated", ".cluster.load",
            ".cluster.drop", ".cluster.tables", ".cluster.describe", ".cluster.status", ".cluster.explain", ".cluster.queries",
            ".cluster.cancel", ".cluster.slowlog", ".cluster.loadFile", ".cluster.loadBegin", ".cluster.loadRows",
            ".cluster.loadCommit", ".cluster.loadAbort");
    /** The admin functions that only read: read-only users may call them. */
    public static final Set<String> READ_ONLY_ADMIN = Set.of(".cluster.tables", ".cluster.describe", ".cluster.status",
            LAST_ERROR, ".cluster.explain", ".cluster.queries", ".cluster.slowlog");

    private Statements() {
    }

    public static Optional<Statement> recognize(RayValue tree, ClusterSnapshot snapshot) {
        String f = function(tree);
        if (f == null) {
            return Optional.empty();
        }
        RayList l = (RayList) tree;
        int argc = l.length() - 1;
        if (f.startsWith(ADMIN_PREFIX)) {
            List<RayValue> args = new ArrayList<>();
            for (int i = 1; i < l.length(); i++) {
                args.add(l.get(i));
            }
            return Optional.of(new Statement.Admin(f, args));
        }
        switch (f) {
            case "insert": {
                Target t = argc == 2 ? target(l.get(1), f, snapshot) : null;
                if (t == null) {
                    return Optional.empty();
                }
                return Optional.of(t.inPlace ? new Statement.Insert(t.name, l.get(2)) : new Statement.CopyForm(tree, t.name));
            }
            case "upsert": {
                Target t = argc == 3 ? target(l.get(1), f, snapshot) : null;
                if (t == null) {
                    return Optional.empty();
                }
                if (!t.inPlace) {
                    return Optional.of(new Statement.CopyForm(tree, t.name));
                }
                if (l.get(2) instanceof Symbol key) {
                    // the engine's key by name: that one column is the key
                    return Optional.of(new Statement.Upsert(t.name, 0, key.name(), l.get(3)));
                }
                Long k = integer(l.get(2));
                if (k == null) {
                    throw new RayforceEvaluationError("type", "upsert into " + t.name
                            + ": the key must be the number of key columns or a column's name (a symbol), got " + l.get(2));
                }
                return Optional.of(new Statement.Upsert(t.name, k, null, l.get(3)));
            }
            case "update":
            case "delete": {
                if (argc != 1 || !(l.get(1) instanceof RayDict d)) {
                    return Optional.empty();
                }
                RayValue from = entry(d, "from");
                if (from instanceof Atom && !(from instanceof Name) && !(from instanceof Symbol)
                        || from instanceof Vector && !(from instanceof RayList)) {
                    // a number, a string or a vector is no table (verified on the engine: type)
                    throw new RayforceEvaluationError("type", f + ": from: must be a table, got " + from);
                }
                Target t = from == null ? null : target(from, f, snapshot);
                if (t == null) {
                    return Optional.empty();
                }
                if (!t.inPlace) {
                    return Optional.of(new Statement.CopyForm(tree, t.name));
                }
                return Optional.of(f.equals("update") ? update(tree, d, t.name) : delete(d, t.name));
            }
            case "alter":
                return alter(l, snapshot);
            case "set": {
                String name = argc == 2 ? globalName(l.get(1)) : null;
                return name == null ? Optional.empty() : Optional.of(new Statement.Save(name, l.get(2), false));
            }
            case "count": {
                if (argc == 1 && function(l.get(1)) != null && function(l.get(1)).equals("set")) {
                    RayList set = (RayList) l.get(1);
                    String name = set.length() == 3 ? globalName(set.get(1)) : null;
                    return name == null ? Optional.empty() : Optional.of(new Statement.Save(name, set.get(2), true));
                }
                return Optional.empty();
            }
            default:
                return Optional.empty();
        }
    }

    /**
     * {@code (alter 't op ...)} of a cluster table, read as the engine reads it (checked on the
     * pinned engine): {@code concat} appends a table with the same columns and types in place; its
     * other operations ({@code set}, {@code remove}) refuse a table ({@code type}), and any other
     * operation is {@code domain}. Empty when the target is no cluster table named in place (a
     * global's alter is the globals' business).
     */
    private static Optional<Statement> alter(RayList l, ClusterSnapshot snapshot) {
        int argc = l.length() - 1;
        if (argc < 2) {
            return Optional.empty();
        }
        RayValue target = l.get(1);
        if (target instanceof Name n && snapshot.table(n.name()).isPresent()) {
            throw new RayforceEvaluationError("type", "alter: the variable name must be a symbol ('" + n.name()
                    + "), got the table " + n.name());
        }
        String table = inPlaceName(target);
        if (table == null || snapshot.table(table).isEmpty()) {
            return Optional.empty();
        }
        String op = alterOperation(l);
        if (!op.equals("concat")) {
            throw new RayforceEvaluationError("type", "alter " + op + ": the target must be a vector or list, got the table "
                    + table + " (append rows with (alter '" + table + " concat rows) or insert; change them with update)");
        }
        if (argc != 3) {
            throw new RayforceEvaluationError("arity", "alter '" + table + " concat takes one value to append");
        }
        return Optional.of(new Statement.Concat(table, l.get(3)));
    }

    /** The operation of {@code (alter target op ...)}: one of {@link Builtins#ALTER_OPERATIONS}, else the engine's {@code domain}. */
    public static String alterOperation(RayList alter) {
        RayValue v = alter.get(2);
        String op = v instanceof Name n ? n.name() : v instanceof Builtin b ? b.name() : "";
        if (!Builtins.ALTER_OPERATIONS.contains(op)) {
            throw new RayforceEvaluationError("domain", "alter: unknown operation " + RayfallPrinter.print(v)
                    + ", expected set, concat or remove");
        }
        return op;
    }

    private static Statement update(RayValue tree, RayDict d, String table) {
        Optional<Query> q = Queries.parse(tree);
        if (q.isEmpty() || !(q.get() instanceof UpdateQuery u)) {
            refusedFirst(d); // a refused function is answered access, whatever else the cluster cannot read
            throw new UnsupportedQueryError("update of " + table + ": the cluster cannot read this update "
                    + "(assignments must be named columns with expressions; where: a predicate; by: columns)");
        }
        return new Statement.Update(u, d);
    }

    private static Statement delete(RayDict d, String table) {
        RayValue where = entry(d, "where");
        if (where == null) {
            throw new RayforceEvaluationError("domain", "delete from " + table + " needs a where: clause, as on one server");
        }
        if (d.keys() instanceof SymbolVector keys && keys.length() > 2) {
            throw new UnsupportedQueryError("delete from " + table + ": only from: and where: are allowed, got " + keys.toList());
        }
        try {
            return new Statement.Delete(new DeleteQuery(Table.of(table), true, Queries.expr(where)), d);
        } catch (IllegalArgumentException e) {
            refusedFirst(d);
            throw new UnsupportedQueryError("delete from " + table + ": the cluster cannot read this where: clause ("
                    + e.getMessage() + ")");
        }
    }

    /** Checks the parts of a statement's dict a client wrote (all but {@code from:}) with the data-path rule. */
    private static void refusedFirst(RayDict d) {
        if (d.keys() instanceof SymbolVector keys && d.values() instanceof Vector vals) {
            for (int i = 0; i < vals.length(); i++) {
                if (!keys.get(i).equals("from")) {
                    DataPathGate.checkExpression(vals.at(i));
                }
            }
        }
    }

    /** A write's target table: {@code 't} or {@code (quote t)} change it in place, {@code t} makes a copy. */
    private record Target(String name, boolean inPlace) {
    }

    /** The target, or null when the write does not name a cluster table (and does not change one in place). */
    private static Target target(RayValue v, String function, ClusterSnapshot snapshot) {
        String inPlace = inPlaceName(v);
        if (inPlace != null) {
            if (snapshot.table(inPlace).isEmpty()) {
                throw new RayforceEvaluationError("domain", function + ": there is no cluster table named '" + inPlace + "'");
            }
            return new Target(inPlace, true);
        }
        if (v instanceof Name n && snapshot.table(n.name()).isPresent()) {
            return new Target(n.name(), false);
        }
        return null;
    }

    /** The name a write in place targets: {@code 't} or {@code (quote t)}; null for anything else. */
    public static String inPlaceName(RayValue v) {
        if (v instanceof Symbol s) {
            return s.name();
        }
        if ("quote".equals(function(v)) && ((RayList) v).length() == 2) {
            RayValue q = ((RayList) v).get(1);
            return q instanceof Name n ? n.name() : q instanceof Symbol s ? s.name() : null;
        }
        return null;
    }

    private static String globalName(RayValue v) {
        if (v instanceof Name n) {
            return n.name();
        }
        return v instanceof Symbol s ? s.name() : null;
    }

    /**
     * The dict with its {@code from:} entry replaced by {@code from}: the statement exactly as the
     * client wrote it, aimed at another table (the engine reads {@code by: sym} and
     * {@code by: {sym: sym}} differently, so the dict is not rebuilt).
     */
    public static RayDict withFrom(RayDict d, RayValue from) {
        SymbolVector keys = (SymbolVector) d.keys();
        Vector vals = (Vector) d.values();
        List<RayValue> out = new ArrayList<>();
        for (int i = 0; i < vals.length(); i++) {
            out.add(keys.get(i).equals("from") ? from : vals.at(i));
        }
        return new RayDict(keys, RayList.of(out));
    }

    public static RayValue entry(RayDict d, String key) {
        if (!(d.keys() instanceof SymbolVector keys) || !(d.values() instanceof Vector vals)) {
            return null;
        }
        int i = keys.indexOf(key);
        return i < 0 || i >= vals.length() ? null : vals.at(i);
    }

    /** The name of the function a call tree applies, or null when the tree is not a call. */
    public static String function(RayValue tree) {
        return Queries.function(tree);
    }

    public static Long integer(RayValue v) {
        if (v instanceof I64Atom i) {
            return i.isNull() ? null : i.value();
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
