package io.rayforce.cluster.client.rayfall;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every builtin the pinned engine defines, with what it may do: the data in
 * {@code builtins.tsv} beside this class, derived from the engine itself (a test lists the
 * engine's own bindings and fails on any name this table does not classify). The data-path rule
 * ({@link DataPathGate}) and the planner's placement of builtins read it; nothing else decides
 * what a builtin is.
 */
public final class Builtins {
    /** What a builtin may do when the engine runs it. */
    public enum Kind {
        /** Computes its result from its arguments only. */
        PURE,
        /** Changes the engine's memory: globals, tables in place. */
        WRITE,
        /** Evaluates code or reaches a binding chosen at run time (eval, parse, apply, a global by name). */
        DYNAMIC,
        /** Reaches outside the engine's memory: files, processes, the network, the journal, the host, exit. */
        EXTERNAL
    }

    /** How the planner distributes a pure builtin over the shards of a table. */
    public enum Placement {
        /** Element by element over aligned vectors (scalars broadcast): it stays on the shards. */
        ROWWISE,
        /** A vector to one value: partial states on the shards and a merge. */
        AGGREGATE,
        /** Depends on the order of the whole vector or table: per-shard top-k and a merge. */
        ORDER,
        /** Distinct values, unions and the like: two phases. */
        SET,
        /** No rule: its arguments are merged first. */
        NONE
    }

    /** One classified builtin: its kind, its placement and why. */
    public record Entry(String name, Kind kind, Placement placement, String note) {
    }

    private static final Map<String, Entry> TABLE = load();

    /** The operations {@code (alter 'g op ...)} applies to a global in place (checked on the engine: any other is {@code domain}). */
    public static final java.util.Set<String> ALTER_OPERATIONS = java.util.Set.of("set", "concat", "remove");

    /**
     * The row-wise builtins the engine calls with one argument where a function value is called
     * with one (as {@code modify} calls its function on a column); the binary ones ({@code +},
     * {@code in}, ...) are not callable that way ({@code type}). Checked against the engine by
     * BuiltinsEngineTest.
     */
    public static final java.util.Set<String> UNARY_ROWWISE = java.util.Set.of("neg", "not", "round", "floor", "ceil", "abs",
            "sqrt", "log", "exp", "sin", "asin", "cos", "acos", "tan", "atan", "reciprocal", "signum", "nil?",
            "hh", "minute", "yyyy", "mm", "dd", "dow", "doy", "strlen");

    private Builtins() {
    }

    /** The builtin named {@code name}, or null when the engine defines no such builtin. */
    public static Entry get(String name) {
        return TABLE.get(name);
    }

    /** The placement rule of builtin {@code name}; {@link Placement#NONE} when it is not a pure builtin. */
    public static Placement placement(String name) {
        Entry e = TABLE.get(name);
        return e == null ? Placement.NONE : e.placement();
    }

    /** The kind of builtin {@code name}, or null when it is not a builtin. */
    public static Kind kind(String name) {
        Entry e = TABLE.get(name);
        return e == null ? null : e.kind();
    }

    public static boolean isBuiltin(String name) {
        return TABLE.containsKey(name);
    }

    /** Every classified builtin, in the table's order. */
    public static Map<String, Entry> all() {
        return TABLE;
    }

    private static Map<String, Entry> load() {
        Map<String, Entry> out = new LinkedHashMap<>();
        try (InputStream in = Builtins.class.getResourceAsStream("builtins.tsv")) {
            if (in == null) {
                throw new IllegalStateException("builtins.tsv is missing from the client jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int lineNo = 0;
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", 4);
                if (f.length < 3) {
                    throw new IllegalStateException("builtins.tsv line " + lineNo + ": expected name<TAB>kind<TAB>placement<TAB>note");
                }
                Kind kind = Kind.valueOf(f[1].trim().toUpperCase(Locale.ROOT));
                Placement placement = f[2].trim().equals("-") ? Placement.NONE : Placement.valueOf(f[2].trim().toUpperCase(Locale.ROOT));
                if (out.put(f[0], new Entry(f[0], kind, placement, f.length > 3 ? f[3] : "")) != null) {
                    throw new IllegalStateException("builtins.tsv line " + lineNo + ": " + f[0] + " is listed twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(out);
    }
}
