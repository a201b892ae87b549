package io.rayforce.cluster.router.globals;

import io.rayforce.cluster.client.rayfall.Builtins;
import io.rayforce.cluster.client.rayfall.TreeWalk;
import io.rayforce.cluster.client.value.Lambda;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Puts the values of the cluster's globals into a client's expression tree, where the engine
 * would look them up, before anything is planned or checked: the tree that runs (on shards, on
 * the scratch engine) then holds every value it uses, and passes the data-path rule as it is,
 * lambda bodies included (docs/globals.md).
 *
 * <p>Names are resolved as the engine resolves them: a function's parameters and the
 * {@code let}s of its body (or of a {@code do}) are locals; inside a {@code select},
 * {@code update} or {@code delete} the columns of its table come first, also for the functions
 * called there (the engine looks names up in the query's columns, not in the caller's locals);
 * builtins, cluster tables and names starting with {@code .} are never globals. A global is
 * inlined as a literal: a list (and, inside a query, a symbol) as {@code (quote x)}, a lambda with its own globals
 * inlined and a call of itself made a call of {@code self} (its recursion); every other value as
 * it is.
 * Globals are read fresh ({@link Globals#current}), a round per level of lambdas.
 */
public final class GlobalInliner {
    /** Rounds of lookups: each level of lambdas inside lambdas takes one. */
    private static final int MAX_ROUNDS = 32;
    private static final Set<String> SELECT_LIKE = Set.of("select", "update", "delete");
    /** Keys of a select dict that are clauses, not output columns. */
    private static final Set<String> CLAUSES = Set.of("from", "where", "by", "take", "asc", "desc");

    private GlobalInliner() {
    }

    /**
     * {@code tree} with every global it uses inlined, and every {@code (key (env N))} replaced by
     * the {@code listing}; {@code tree} itself when it uses neither.
     */
    public static RayValue inline(RayValue tree, ClusterSnapshot snapshot, Globals globals, Supplier<SymbolVector> listing) {
        Map<String, RayValue> values = new HashMap<>();
        Set<String> absent = new HashSet<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Rewrite r = new Rewrite(snapshot, values, absent, listing);
            RayValue out = r.rewrite(tree, Scope.root());
            if (r.unknown.isEmpty()) {
                return out;
            }
            Map<String, RayValue> found = globals.current(r.unknown);
            values.putAll(found);
            for (String n : r.unknown) {
                if (!found.containsKey(n)) {
                    absent.add(n);
                }
            }
        }
        throw new UnsupportedQueryError("the globals this query uses call each other more than " + MAX_ROUNDS
                + " levels deep");
    }

    /**
     * {@code tree} with the {@code locals} of a function being called (its parameters and lets,
     * bound to values) put in where the engine would look them up in its frame: everywhere but
     * where a nested function's own locals shadow them (a query's columns do not: in a function's
     * body its locals come first, checked on the engine). Globals are left as they are (the
     * request is inlined again when it runs).
     */
    public static RayValue bind(RayValue tree, ClusterSnapshot snapshot, Map<String, RayValue> locals) {
        Rewrite r = new Rewrite(snapshot, locals, new HashSet<>(), null);
        r.binding = true;
        return r.rewrite(tree, Scope.root());
    }

    /** The parameter names of a function's parameter list, as the engine reads them. */
    static List<String> parameters(RayValue params) {
        return Rewrite.paramNames(params);
    }

    /**
     * The names in {@code tree} that could be globals: not locals, columns, builtins, cluster
     * tables or dotted namespace names (lambdas the tree holds included, not those of globals).
     */
    public static Set<String> freeNames(RayValue tree, ClusterSnapshot snapshot) {
        Rewrite r = new Rewrite(snapshot, Map.of(), new HashSet<>(), null);
        r.rewrite(tree, Scope.root());
        return r.unknown;
    }

    /** Where a name is looked up: locals of functions and blocks, and columns of queries. */
    private static final class Scope {
        enum Kind { TOP, FUNCTION, BLOCK, COLUMNS }

        final Scope parent;
        final Kind kind;
        final Set<String> names = new HashSet<>();
        /** For the body of an inlined global lambda, its name: a call of it there is a call of {@code self}. */
        final String self;

        private Scope(Scope parent, Kind kind, String self) {
            this.parent = parent;
            this.kind = kind;
            this.self = self;
        }

        static Scope root() {
            return new Scope(null, Kind.TOP, null);
        }

        Scope function(List<String> params, String self) {
            Scope s = new Scope(this, Kind.FUNCTION, self);
            s.names.addAll(params);
            return s;
        }

        Scope block() {
            return new Scope(this, Kind.BLOCK, null);
        }

        /** The columns of a select, update or delete: seen first, also by the functions called inside it. */
        Scope withColumns(Set<String> cols) {
            Scope s = new Scope(this, Kind.COLUMNS, null);
            s.names.addAll(cols);
            return s;
        }

        /** Whether this is inside a select, update or delete (where a literal symbol naming a column is the column). */
        boolean inQuery() {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.kind == Kind.COLUMNS) {
                    return true;
                }
            }
            return false;
        }

        /** Only the query columns of this chain: what a function called here sees besides its own locals. */
        Scope dynamicOnly() {
            Deque<Set<String>> cols = new ArrayDeque<>();
            for (Scope s = this; s != null; s = s.parent) {
                if (s.kind == Kind.COLUMNS) {
                    cols.push(s.names);
                }
            }
            Scope out = root();
            for (Set<String> c : cols) {
                out = out.withColumns(c);
            }
            return out;
        }

        boolean binds(String n) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.names.contains(n)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether a function or block of this chain binds {@code n} (a query's columns not counted). */
        boolean bindsLocal(String n) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.kind != Kind.COLUMNS && s.names.contains(n)) {
                    return true;
                }
            }
            return false;
        }

        /** A let binds in the innermost function or block (at the top it sets a global: the request's own). */
        void let(String n) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.kind != Kind.COLUMNS) {
                    s.names.add(n);
                    return;
                }
            }
        }

        /** The global lambda whose own body this is (not a function nested in it), or null. */
        String self() {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.kind == Kind.FUNCTION || s.kind == Kind.TOP) {
                    return s.self;
                }
            }
            return null;
        }
    }

    private static final class Rewrite {
        final ClusterSnapshot snapshot;
        final Map<String, RayValue> values;
        final Set<String> absent;
        final Set<String> unknown = new LinkedHashSet<>();
        /** What {@code (key (env N))} answers: every name (read when first needed), or null to leave it. */
        final Supplier<SymbolVector> listing;
        SymbolVector listed;
        /** The global lambdas being inlined, innermost last. */
        final Deque<String> inlining = new ArrayDeque<>();
        /** Binding a called function's locals ({@link #bind}): only {@code values} are put in, lambdas as they are. */
        boolean binding;
        int depth;

        Rewrite(ClusterSnapshot snapshot, Map<String, RayValue> values, Set<String> absent, Supplier<SymbolVector> listing) {
            this.snapshot = snapshot;
            this.values = values;
            this.absent = absent;
            this.listing = listing;
        }

        RayValue rewrite(RayValue node, Scope scope) {
            if (++depth > TreeWalk.MAX_DEPTH * 4) {
                throw new TreeWalk.TooDeep();
            }
            try {
                if (node instanceof Name n) {
                    return name(n, scope);
                }
                if (node instanceof Lambda f) {
                    // a function value sent in the request: its own locals, and the columns of where it is called
                    Scope inner = scope.dynamicOnly().function(locals(f), null);
                    return new Lambda(f.attrs(), f.params(), body(f.body(), inner), f.closure());
                }
                if (node instanceof RayList l && l.length() > 0) {
                    return call(l, scope);
                }
                return node; // atoms, vectors, dicts and tables are data: the engine does not evaluate inside them
            } finally {
                depth--;
            }
        }

        private RayValue call(RayList l, Scope scope) {
            String head = l.get(0) instanceof Name h && !scope.binds(h.name()) ? h.name() : null;
            if (head != null) {
                switch (head) {
                    case "quote":
                        return l;
                    case "fn": {
                        List<String> params = l.length() > 1 ? paramNames(l.get(1)) : List.of();
                        Scope inner = scope.function(params, null);
                        List<RayValue> out = new ArrayList<>(l.toList());
                        for (int i = 2; i < l.length(); i++) {
                            out.set(i, rewrite(l.get(i), inner));
                        }
                        return same(l, out);
                    }
                    case "let": {
                        List<RayValue> out = new ArrayList<>(l.toList());
                        for (int i = 2; i < l.length(); i++) {
                            out.set(i, rewrite(l.get(i), scope));
                        }
                        if (l.length() > 1 && l.get(1) instanceof Name bound) {
                            scope.let(bound.name());
                        }
                        return same(l, out);
                    }
                    case "do": {
                        Scope inner = scope.block();
                        List<RayValue> out = new ArrayList<>(l.toList());
                        for (int i = 1; i < l.length(); i++) {
                            out.set(i, rewrite(l.get(i), inner));
                        }
                        return same(l, out);
                    }
                    case "set", "del": {
                        // the name a set binds (or del removes) is not read
                        List<RayValue> out = new ArrayList<>(l.toList());
                        for (int i = 2; i < l.length(); i++) {
                            out.set(i, rewrite(l.get(i), scope));
                        }
                        return same(l, out);
                    }
                    case "key": {
                        if (listing != null && l.length() == 2 && GlobalStatements.isEnv(l.get(1))) {
                            if (listed == null) {
                                listed = listing.get();
                            }
                            return listed; // every name, as one server lists them
                        }
                        break;
                    }
                    case "resolve": {
                        if (!binding && l.length() == 2 && l.get(1) instanceof Symbol s && !s.name().isEmpty()) {
                            RayValue v = global(s.name(), scope);
                            if (v != null) {
                                return v;
                            }
                        }
                        break;
                    }
                    default:
                        if (SELECT_LIKE.contains(head) && l.length() == 2 && l.get(1) instanceof RayDict d) {
                            return RayList.of(l.get(0), query(d, scope));
                        }
                        break;
                }
            }
            List<RayValue> out = new ArrayList<>(l.length());
            for (int i = 0; i < l.length(); i++) {
                out.add(rewrite(l.get(i), scope));
            }
            if (head != null && out.get(0) instanceof Lambda f && !(l.get(0) instanceof Lambda)) {
                RayValue reduced = applied(f, out.subList(1, out.size()));
                if (reduced != null) {
                    return reduced;
                }
            }
            return same(l, out);
        }

        /**
         * A global function called with its arguments, as the expression it computes: its body
         * with the arguments in place of its parameters, when that means the same (one body
         * expression of pure calls, no locals, functions, quotes or self, one argument per
         * parameter); else null. The planner then sees the expression itself, so a select calling
         * {@code (f qty)} is planned like one computing {@code (* qty 2)} (shard by shard).
         */
        private RayValue applied(Lambda f, List<RayValue> args) {
            if (f.closure() != null || !(f.params() instanceof SymbolVector params) || params.length() != args.size()
                    || !(f.body() instanceof RayList body) || body.length() != 1) {
                return null;
            }
            Map<String, RayValue> bound = new HashMap<>();
            for (int i = 0; i < params.length(); i++) {
                bound.put(params.get(i), args.get(i));
            }
            RayValue e = body.get(0);
            if (!substitutable(e)) {
                return null;
            }
            return TreeWalk.rewrite(e, v -> v instanceof Name n && bound.containsKey(n.name()) ? bound.get(n.name()) : v);
        }

        /** Whether parameters can be replaced by their arguments throughout {@code e}: only calls, names and values. */
        private static boolean substitutable(RayValue e) {
            return !TreeWalk.any(e, v -> v instanceof Lambda || v instanceof RayDict || v instanceof RayTable
                    || v instanceof Name n && NOT_SUBSTITUTABLE.contains(n.name()));
        }

        /** Forms whose meaning depends on where they stand, or that bind names: a body using one is not reduced. */
        private static final Set<String> NOT_SUBSTITUTABLE = Set.of("fn", "let", "do", "set", "del", "quote", "self", "return",
                "resolve", "eval", "times", "while", "select", "update", "delete", "insert", "upsert", "raise", "try");

        /** A select's (update's, delete's) dict: {@code from:} as its caller sees it, the rest with the table's columns. */
        private RayDict query(RayDict d, Scope scope) {
            if (!(d.keys() instanceof SymbolVector keys) || !(d.values() instanceof RayList vals) || keys.length() != vals.length()) {
                return d;
            }
            int from = keys.indexOf("from");
            Scope inner = scope.withColumns(from < 0 ? Set.of() : columnsOf(vals.get(from)));
            List<RayValue> out = new ArrayList<>(vals.length());
            boolean changed = false;
            for (int i = 0; i < vals.length(); i++) {
                RayValue v = vals.get(i);
                RayValue r;
                if (i == from) {
                    r = rewrite(v, scope);
                } else if (v instanceof RayDict by && by.values() instanceof RayList byVals) {
                    // by: {k: expr ...}: the engine evaluates these values
                    List<RayValue> bv = new ArrayList<>(byVals.length());
                    boolean c = false;
                    for (int j = 0; j < byVals.length(); j++) {
                        RayValue x = rewrite(byVals.get(j), inner);
                        c |= x != byVals.get(j);
                        bv.add(x);
                    }
                    r = c ? new RayDict(by.keys(), RayList.of(bv)) : v;
                } else {
                    r = rewrite(v, inner);
                }
                changed |= r != v;
                out.add(r);
            }
            return changed ? new RayDict(keys, RayList.of(out)) : d;
        }

        /** The columns a query's {@code from:} gives: a cluster table's, a nested query's output, a literal table's. */
        private Set<String> columnsOf(RayValue from) {
            Set<String> out = new LinkedHashSet<>();
            String table = from instanceof Name n ? n.name() : from instanceof Symbol s ? s.name()
                    : from instanceof RayList q && q.length() == 2 && q.get(0) instanceof Name h && h.name().equals("quote")
                            && q.get(1) instanceof Name t ? t.name() : null;
            if (table != null) {
                snapshot.table(table).map(TablePlacement::getSpec)
                        .ifPresent(spec -> spec.getColumnsList().stream().map(ColumnSpec::getName).forEach(out::add));
                return out;
            }
            if (from instanceof RayTable t) {
                out.addAll(t.columnNames());
                return out;
            }
            if (from instanceof RayList q && q.length() == 2 && q.get(0) instanceof Name h && SELECT_LIKE.contains(h.name())
                    && q.get(1) instanceof RayDict d && d.keys() instanceof SymbolVector keys && d.values() instanceof RayList vals) {
                int inner = keys.indexOf("from");
                Set<String> source = inner < 0 || inner >= vals.length() ? Set.of() : columnsOf(vals.get(inner));
                boolean projected = false;
                for (int i = 0; i < keys.length(); i++) {
                    if (!CLAUSES.contains(keys.get(i))) {
                        out.add(keys.get(i));
                        projected = true;
                    }
                }
                int by = keys.indexOf("by");
                if (by >= 0 && by < vals.length()) {
                    RayValue b = vals.get(by);
                    if (b instanceof Name n) {
                        out.add(n.name());
                    } else if (b instanceof SymbolVector sv) {
                        out.addAll(sv.toList());
                    } else if (b instanceof RayDict bd && bd.keys() instanceof SymbolVector bk) {
                        out.addAll(bk.toList());
                    }
                }
                if (!projected || h.name().equals("update")) {
                    out.addAll(source);
                }
            }
            return out;
        }

        private RayValue name(Name n, Scope scope) {
            String s = n.name();
            if (binding ? scope.bindsLocal(s) : scope.binds(s)) {
                return n;
            }
            String self = scope.self();
            if (self != null && self.equals(s)) {
                return Name.of("self"); // a global function calling itself by name: the engine's self
            }
            RayValue v = global(s, scope);
            return v == null ? n : v;
        }

        /** The inlined value of global {@code s} as seen from {@code scope}, or null when it is no global (or not known yet). */
        private RayValue global(String s, Scope scope) {
            if (binding) {
                // a local of the calling function shadows globals, tables, builtins and even the columns of a
                // query in its body (checked on the engine); a lambda passed in keeps its own scope
                RayValue v = scope.bindsLocal(s) ? null : values.get(s);
                return v == null || v instanceof Lambda ? v : literal(s, v, scope);
            }
            if (s.startsWith(".") || Builtins.isBuiltin(s) || snapshot.table(s).isPresent() || scope.binds(s)) {
                return null;
            }
            RayValue v = values.get(s);
            if (v == null) {
                if (!absent.contains(s)) {
                    unknown.add(s);
                }
                return null;
            }
            return literal(s, v, scope);
        }

        private RayValue literal(String name, RayValue v, Scope scope) {
            if (v instanceof Lambda f) {
                if (inlining.contains(name)) {
                    throw new UnsupportedQueryError("function " + name + " is called from a function inside itself or from a "
                            + "function it calls: the cluster inlines functions, so recursion must call self, "
                            + "e.g. (fn [n] (if (<= n 1) 1 (* n (self (- n 1)))))");
                }
                inlining.addLast(name);
                try {
                    Scope inner = scope.dynamicOnly().function(locals(f), name);
                    return new Lambda(f.attrs(), f.params(), body(f.body(), inner), f.closure());
                } finally {
                    inlining.removeLast();
                }
            }
            if (binding && v instanceof RayList l && !scope.inQuery() && l.toList().stream().allMatch(GlobalStatements::isItem)) {
                // a called function's local list of atoms and vectors, as the call that makes it: an
                // insert reads its rows as written
                List<RayValue> call = new ArrayList<>(l.length() + 1);
                call.add(Name.of("list"));
                call.addAll(l.toList());
                return RayList.of(call);
            }
            if (v instanceof RayList || v instanceof Symbol && scope.inQuery()) {
                // a list in a tree is a call, and inside a query a literal symbol naming a column is the column:
                // quoted, each is the value
                return RayList.of(Name.of("quote"), v);
            }
            return v;
        }

        /** A lambda's body: a list of expressions run in order in the function's frame. */
        private RayValue body(RayValue body, Scope inner) {
            if (!(body instanceof RayList l)) {
                return rewrite(body, inner);
            }
            List<RayValue> out = new ArrayList<>(l.length());
            for (int i = 0; i < l.length(); i++) {
                out.add(rewrite(l.get(i), inner));
            }
            return same(l, out);
        }

        /** A lambda's locals known before its body runs: its parameters and its closure's captures. */
        private static List<String> locals(Lambda f) {
            List<String> out = new ArrayList<>(paramNames(f.params()));
            if (f.closure() instanceof RayDict c && c.keys() instanceof SymbolVector keys) {
                out.addAll(keys.toList());
            }
            return out;
        }

        static List<String> paramNames(RayValue params) {
            List<String> out = new ArrayList<>();
            if (params instanceof SymbolVector sv) {
                out.addAll(sv.toList());
            } else if (params instanceof RayList pl) {
                for (int i = 0; i < pl.length(); i++) {
                    if (pl.get(i) instanceof Name n) {
                        out.add(n.name());
                    } else if (pl.get(i) instanceof Symbol s) {
                        out.add(s.name());
                    }
                }
            } else if (params instanceof Name n) {
                out.add(n.name());
            } else if (params instanceof Vector v && v.length() == 0) {
                return out;
            }
            return out;
        }

        /** {@code l} itself when nothing in it changed, so an expression without globals keeps its identity. */
        private static RayList same(RayList l, List<RayValue> out) {
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i) != l.get(i)) {
                    return RayList.of(out);
                }
            }
            return l;
        }
    }
}
