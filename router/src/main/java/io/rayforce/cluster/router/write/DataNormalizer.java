package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.value.Atom;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.plan.ScratchEngine;
import io.rayforce.cluster.router.planner.Schemas;
import io.rayforce.cluster.router.read.ReadPath;
import io.rayforce.cluster.router.statement.Statements;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns the data of an insert or upsert into a table of the target's columns with the engine's
 * own semantics: the data is evaluated (through the cluster's read path when it is an
 * expression), its shape is checked (the engine accepts ragged inserts and leaves the table
 * ragged, so those are refused here), and then {@code (insert <empty table> data)} runs on the
 * router's scratch engine, so widening, by-name matching, nulls for missing columns and the
 * engine's errors ({@code type}, {@code domain}, {@code value}) are exactly one server's.
 */
final class DataNormalizer {
    /** The name the data table is bound to on the scratch engine. */
    private static final String DATA = "rows";

    private final ScratchEngine scratch;
    private final ReadPath read;

    DataNormalizer(ScratchEngine scratch, ReadPath read) {
        this.scratch = scratch;
        this.read = read;
    }

    /**
     * The value of a data expression: literals as they are, {@code (list literal ...)} built
     * here, anything else (a table name, a select, a computation) evaluated by the read path.
     */
    RayValue evaluate(RayValue data, QueryOptions options) {
        if (data instanceof Name) {
            return read.read(data, options);
        }
        if (data instanceof RayList l) {
            String f = Statements.function(l);
            if ("list".equals(f)) {
                List<RayValue> items = new ArrayList<>();
                for (int i = 1; i < l.length(); i++) {
                    RayValue item = l.get(i);
                    if (item instanceof Name || item instanceof RayList) {
                        return read.read(data, options);
                    }
                    items.add(item);
                }
                return RayList.of(items);
            }
            return read.read(data, options);
        }
        return data;
    }

    /**
     * Fails when the engine would leave the table ragged: items of a list (positional columns)
     * or values of a dict of different lengths (an atom is one row), or a dict of several rows
     * that leaves columns out (the engine fills only one null into those).
     */
    static void checkShape(RayValue value, List<String> tableColumns, String what) {
        if (value instanceof RayDict d) {
            if (!(d.keys() instanceof SymbolVector keys) || !(d.values() instanceof Vector vals)) {
                return; // the engine reports whatever is wrong with it
            }
            long rows = uniformLength(vals, keys.toList(), what);
            if (rows != 1) {
                TreeSet<String> missing = new TreeSet<>(tableColumns);
                missing.removeAll(keys.toList());
                if (!missing.isEmpty()) {
                    throw new RayforceEvaluationError("length", what + ": a dict of " + rows + " rows must give every column "
                            + "(missing " + String.join(", ", missing) + "); the engine would leave the table ragged");
                }
            }
        } else if (value instanceof RayList l) {
            uniformLength(l, null, what);
        }
    }

    /** The common length of the items (atoms count 1); fails naming the lengths when they differ. */
    private static long uniformLength(Vector items, List<String> names, String what) {
        long len = -1;
        for (int i = 0; i < items.length(); i++) {
            RayValue v = items.at(i);
            long n = v instanceof Vector vec ? vec.length() : v instanceof Atom ? 1 : 1;
            if (len >= 0 && n != len) {
                String item = names == null ? "item " + (i + 1) : "column " + names.get(i);
                throw new RayforceEvaluationError("length", what + ": " + item + " has " + n + " value(s) but the ones "
                        + "before it have " + len + "; the engine would leave the table ragged");
            }
            len = n;
        }
        return Math.max(len, 0);
    }

    /**
     * {@code value} as a table with exactly {@code columns} (in that order) of the spec's types,
     * as {@code (insert <empty table of those columns> value)} gives it on one server.
     */
    RayTable normalize(TableSpec spec, List<String> columns, RayValue value, QueryContext ctx, String what) {
        RayTable empty = Schemas.emptyTable(spec, columns);
        if (value instanceof RayTable t && sameShape(t, empty)) {
            return t;
        }
        if (value instanceof RayList l) {
            RayTable row = oneRow(empty, l);
            if (row != null) {
                return row;
            }
        }
        checkShape(value, columns, what);
        RayValue embedded;
        Map<String, RayTable> inputs = Map.of();
        if (value instanceof RayTable t) {
            inputs = Map.of(DATA, t);
            embedded = Name.of(DATA);
        } else if (value instanceof RayList l) {
            embedded = RayList.of(Name.of("quote"), l);
        } else {
            embedded = value;
        }
        RayValue result;
        try {
            result = scratch.evaluate(ctx, inputs, RayList.of(lambda("insert", "t", "d"), empty, embedded));
        } catch (RayforceEvaluationError e) {
            throw new RayforceEvaluationError(e.code(), what + ": the rows do not fit the table's columns "
                    + columns + " (checked by the router as one server would)");
        }
        if (!(result instanceof RayTable t) || !sameShape(t, empty)) {
            throw new ClusterQueryError(what + ": the rows became " + describe(result) + ", not a table of the columns "
                    + describe(empty));
        }
        return t;
    }

    /**
     * A list of one atom per column, each already of its column's type (i64, f64 or symbol): the one
     * row the engine would insert, built here without asking the scratch engine. Null otherwise
     * (widening, other types, several rows: the scratch engine decides).
     */
    static RayTable oneRow(RayTable empty, RayList items) {
        if (items.length() != empty.columnCount()) {
            return null;
        }
        List<Vector> cols = new ArrayList<>(items.length());
        for (int i = 0; i < items.length(); i++) {
            Vector col = empty.column(i);
            RayValue item = items.get(i);
            if (col instanceof I64Vector && item instanceof I64Atom a) {
                cols.add(new I64Vector(new long[] {a.value()}));
            } else if (col instanceof F64Vector && item instanceof F64Atom a) {
                cols.add(new F64Vector(new double[] {a.value()}));
            } else if (col instanceof SymbolVector && item instanceof Symbol a) {
                cols.add(new SymbolVector(new String[] {a.name()}));
            } else {
                return null;
            }
        }
        return RayTable.of(empty.columnNames(), cols);
    }

    /**
     * {@code (fn [args] (f args))}: the engine refuses {@code (insert <table value> (list ...))}
     * written inline ({@code domain}) but runs the same call through a lambda, where the
     * arguments are plain values.
     */
    static RayValue lambda(String function, String... params) {
        List<RayValue> call = new ArrayList<>();
        call.add(Name.of(function));
        for (String p : params) {
            call.add(Name.of(p));
        }
        return RayList.of(Name.of("fn"), SymbolVector.of(params), RayList.of(call));
    }

    /** True when both tables have the same column names and column types. */
    static boolean sameShape(RayTable a, RayTable b) {
        if (!a.columnNames().equals(b.columnNames())) {
            return false;
        }
        for (int i = 0; i < a.columnCount(); i++) {
            if (a.column(i).type() != b.column(i).type()) {
                return false;
            }
        }
        return true;
    }

    static String describe(RayValue v) {
        if (v instanceof RayTable t) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < t.columnCount(); i++) {
                parts.add(t.columnNames().get(i) + ":" + t.column(i).type().rayfallName());
            }
            return "[" + String.join(" ", parts) + "]";
        }
        return "a " + v.type().rayfallName();
    }
}
