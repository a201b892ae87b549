package io.rayforce.cluster.client.rayfall;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.value.Atom;
import io.rayforce.cluster.client.value.Builtin;
import io.rayforce.cluster.client.value.Lambda;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The data-path rule (docs/security.md): what the cluster lets an engine run. Every request a
 * router sends to an engine is checked here, on the exact tree sent. An expression may call only
 * the builtins {@link Builtins} classifies as pure; a request may in addition write the globals
 * its sender owns (a node's shard and staging tables, a query's scratch tables), in statement
 * position only, never from inside an expression a client wrote.
 *
 * <p>Beyond the table, the engine's own evaluation rules are followed where they could reach a
 * builtin without naming it:
 * <ul>
 *   <li>a call whose head is a symbol ({@code ('til 3)}) or a quoted name calls the builtin of that
 *   name, so such heads are checked as names; a head computed at run time
 *   ({@code ((first [f]) 3)} calls {@code f}) is refused;</li>
 *   <li>{@code resolve} reads a binding chosen at run time, so only a literal symbol naming no
 *   builtin may be resolved;</li>
 *   <li>{@code let} outside a function sets a global, and a function parameter or {@code let}
 *   may not rebind a builtin's name;</li>
 *   <li>{@code insert}, {@code upsert}, {@code update} and {@code delete} change a table in place
 *   when it is named by a symbol, and answer a changed copy otherwise: the copy is an expression,
 *   the in-place form a write (the copy's target must be a table by name or by value, or a
 *   function parameter given one);</li>
 *   <li>a dotted name {@code a.f} applies the builtin {@code f} to {@code a}, so every segment after the
 *   first is checked as a function;</li>
 *   <li>every namespace function ({@code .sys.*}, {@code .os.*}, ...) is refused.</li>
 * </ul>
 */
public final class DataPathGate {
    /** Builtins that change a table in place when their target is a symbol, and answer a copy otherwise. */
    private static final Set<String> TABLE_FUNCTIONS = Set.of("insert", "upsert", "update", "delete");

    private DataPathGate() {
    }

    /** A refused request: the engine's code {@code access}, naming the function and where it stood. */
    public static final class Refusal extends RayforceEvaluationError {
        private final String function;

        Refusal(String function, String why, String where) {
            super("access", "the cluster does not run '" + function + "' on behalf of clients: " + why + " (" + where + ")");
            this.function = function;
        }

        /** The refused function (a builtin's name, or a description of a computed one). */
        public String function() {
            return function;
        }
    }

    /** Checks an expression that may only compute: a read, a shard unit, a client's where clause or data. */
    public static void checkExpression(RayValue tree) {
        new ExpressionCheck().run(tree);
    }

    /** Whether {@link #checkExpression} accepts {@code tree}. */
    public static boolean isExpression(RayValue tree) {
        try {
            checkExpression(tree);
            return true;
        } catch (Refusal | TreeWalk.TooDeep e) {
            return false;
        }
    }

    /**
     * Checks a request to an engine: an expression, or statements that write globals
     * {@code owned} accepts: {@code (set 'G x)}, {@code (del 'G)}, {@code (insert 'G x)},
     * {@code (upsert 'G k x)}, {@code (delete {from: 'G where: w})}, {@code (update {... from: 'G})},
     * {@code (alter 'G op x...)} (op {@code set}, {@code concat} or {@code remove}), alone or under
     * {@code count}, {@code do} and {@code if}; every other part must be an expression.
     */
    public static void checkRequest(RayValue tree, Predicate<String> owned) {
        statement(tree, owned, 0, null);
    }

    /**
     * As {@link #checkRequest}, answering the globals the request writes, in order (none: it is an
     * expression), so a caller that tells writes from reads walks the request once and throws no
     * exception for either.
     */
    public static List<String> checkedWrites(RayValue tree, Predicate<String> owned) {
        List<String> written = new ArrayList<>();
        statement(tree, owned, 0, written);
        return written;
    }

    private static void statement(RayValue t, Predicate<String> owned, int depth, List<String> written) {
        if (depth > TreeWalk.MAX_DEPTH) {
            throw new TreeWalk.TooDeep();
        }
        String f = headName(t);
        if (f == null) {
            checkExpression(t);
            return;
        }
        RayList l = (RayList) t;
        int argc = l.length() - 1;
        switch (f) {
            case "count" -> {
                if (argc == 1) {
                    statement(l.get(1), owned, depth + 1, written);
                    return;
                }
            }
            case "do" -> {
                for (int i = 1; i < l.length(); i++) {
                    statement(l.get(i), owned, depth + 1, written);
                }
                return;
            }
            case "if" -> {
                if (argc == 2 || argc == 3) {
                    checkExpression(l.get(1));
                    for (int i = 2; i < l.length(); i++) {
                        statement(l.get(i), owned, depth + 1, written);
                    }
                    return;
                }
            }
            case "set" -> {
                if (argc == 2 && owns(owned, target(l.get(1), true))) {
                    checkExpression(l.get(2));
                    wrote(written, target(l.get(1), true));
                    return;
                }
            }
            case "del" -> {
                if (argc == 1 && owns(owned, target(l.get(1), true))) {
                    wrote(written, target(l.get(1), true));
                    return;
                }
            }
            case "insert", "upsert" -> {
                if (argc >= 2 && owns(owned, target(l.get(1), false))) {
                    for (int i = 2; i < l.length(); i++) {
                        checkExpression(l.get(i));
                    }
                    wrote(written, target(l.get(1), false));
                    return;
                }
            }
            case "alter" -> {
                // the engine's operations on a global in place: set, concat, remove (any other is domain)
                if (argc >= 3 && owns(owned, target(l.get(1), false)) && l.get(2) instanceof Name op
                        && Builtins.ALTER_OPERATIONS.contains(op.name())) {
                    for (int i = 3; i < l.length(); i++) {
                        checkExpression(l.get(i));
                    }
                    wrote(written, target(l.get(1), false));
                    return;
                }
            }
            case "update", "delete" -> {
                if (argc == 1 && l.get(1) instanceof RayDict d && owns(owned, target(d.get("from"), false))) {
                    checkDictExceptFrom(d);
                    wrote(written, target(d.get("from"), false));
                    return;
                }
            }
            default -> {
            }
        }
        checkExpression(t);
    }

    private static void wrote(List<String> written, String global) {
        if (written != null) {
            written.add(global);
        }
    }

    private static boolean owns(Predicate<String> owned, String global) {
        return global != null && !Builtins.isBuiltin(global) && !global.startsWith(".") && owned.test(global);
    }

    private static void checkDictExceptFrom(RayDict d) {
        if (d.keys() instanceof SymbolVector keys && d.values() instanceof Vector vals) {
            for (int i = 0; i < vals.length(); i++) {
                if (!keys.get(i).equals("from")) {
                    checkExpression(vals.at(i));
                }
            }
            return;
        }
        checkExpression(d);
    }

    /** The global a write statement names: a symbol, {@code (quote name)}, or (for set and del) a plain name. */
    private static String target(RayValue v, boolean nameToo) {
        if (v instanceof Symbol s) {
            return s.name();
        }
        if (nameToo && v instanceof Name n) {
            return n.name();
        }
        if (v instanceof RayList l && l.length() == 2 && "quote".equals(headName(l))) {
            RayValue q = l.get(1);
            return q instanceof Name n ? n.name() : q instanceof Symbol s ? s.name() : null;
        }
        return null;
    }

    /** The name a call's head gives, when the head is a name reference; null otherwise. */
    private static String headName(RayValue t) {
        return t instanceof RayList l && l.length() > 0 && l.get(0) instanceof Name n ? n.name() : null;
    }

    /** One walk over an expression, keeping the local names in scope. */
    private static final class ExpressionCheck implements TreeWalk.Visitor {
        /** Local names: a function's parameters (true when bound to a value that is not a symbol) and its lets. */
        private final Deque<Map<String, Boolean>> frames = new ArrayDeque<>(4);
        /** The nodes that opened a frame, to close it on the way back. */
        // small, and consulted only when not empty: most checks open no frame (a check runs per request and per
        // journal entry, and checkRequest runs one per statement argument)
        private final Map<RayValue, Integer> opened = new IdentityHashMap<>(2);
        /** For an immediately applied {@code (fn [params] body)}: which parameters get a plain value. */
        private final Map<RayValue, boolean[]> inlined = new IdentityHashMap<>(2);
        /** Call heads already judged with their call ({@code fn}, {@code let}, {@code quote}). */
        private final Set<RayValue> judged = Collections.newSetFromMap(new IdentityHashMap<>(2));

        void run(RayValue tree) {
            TreeWalk.walk(tree, this);
        }

        @Override
        public boolean enter(RayValue node, List<RayValue> path) {
            RayValue parent = path.isEmpty() ? null : path.get(path.size() - 1);
            boolean head = parent instanceof RayList pl && pl.length() > 0 && pl.get(0) == node;
            if (!judged.isEmpty() && judged.remove(node)) {
                return true;
            }
            if (node instanceof RayList l && l.length() > 0 && TreeWalk.evaluatedAsCall(parent, l) && !quoted(path)) {
                call(l, path);
            } else if (node instanceof Lambda f) {
                open(node, params(f.params(), node, path), null, path);
            } else if (node instanceof Name n) {
                name(n.name(), head, (RayList) (head ? parent : null), path);
            } else if (node instanceof Builtin b) {
                name(b.name(), head, (RayList) (head ? parent : null), path);
            } else if (node instanceof Symbol s && head) {
                // ('f x) calls the builtin named f
                name(s.name(), true, (RayList) parent, path);
            }
            return true;
        }

        @Override
        public void exit(RayValue node, List<RayValue> path) {
            Integer n = opened.isEmpty() ? null : opened.remove(node);
            if (n != null) {
                for (int i = 0; i < n; i++) {
                    frames.pop();
                }
            }
        }

        private void call(RayList l, List<RayValue> path) {
            RayValue h = l.get(0);
            String f = h instanceof Name n ? n.name() : null;
            if ("fn".equals(f) || "let".equals(f) || "quote".equals(f)) {
                judged.add(h);
            }
            if ("fn".equals(f)) {
                List<String> ps = l.length() > 1 ? params(l.get(1), l, path) : List.of();
                open(l, ps, inlined.isEmpty() ? null : inlined.remove(l), path);
                return;
            }
            if ("let".equals(f)) {
                String bound = l.length() > 1 && l.get(1) instanceof Name n ? n.name() : null;
                if (frames.isEmpty()) {
                    throw refuse("let", "outside a function or a do it sets a global", l, path);
                }
                if (bound == null || Builtins.isBuiltin(bound) || bound.startsWith(".")) {
                    throw refuse("let", "it may bind only a new local name, not " + (bound == null ? l.get(1) : "the builtin '"
                            + bound + "'"), l, path);
                }
                frames.peek().put(bound, false);
                return;
            }
            if ("quote".equals(f)) {
                return; // (quote x) is data; as a call head it is checked where it is applied
            }
            if ("do".equals(f)) {
                // a do is a scope: its lets bind locals that end with it (verified: after (do (let z 3) 1) there is
                // no z), where a let outside every do and function binds a global
                open(l, List.of(), null, path);
            }
            if (h instanceof Name || h instanceof Builtin || h instanceof Symbol || h instanceof Lambda) {
                return; // checked when the head itself is visited
            }
            if (h instanceof RayList hl && hl.length() > 0) {
                String hf = headName(hl);
                if ("fn".equals(hf)) {
                    inlined.put(hl, plainArguments(l));
                    return;
                }
                if ("quote".equals(hf) && hl.length() == 2 && (hl.get(1) instanceof Name || hl.get(1) instanceof Symbol)) {
                    String quoted = hl.get(1) instanceof Name n ? n.name() : ((Symbol) hl.get(1)).name();
                    name(quoted, true, l, path);
                    return;
                }
            }
            if (h instanceof Atom && !(h instanceof Str) || h instanceof Vector && !(h instanceof RayList)
                    || h instanceof RayDict || h instanceof RayTable) {
                return; // indexing a value: (v 2), ({a: 1} 'a)
            }
            throw refuse(RayfallPrinter.abbreviated(h, 4), "it calls a function chosen at run time (a computed call head "
                    + "can name any builtin)", l, path);
        }


        /**
         * Whether a node is inside quoted data ({@code (quote ((1 2) ("a" "b")))}: the engine
         * evaluates nothing under a quote, at any depth). Its names are still checked as heads.
         */
        private static boolean quoted(List<RayValue> path) {
            for (RayValue a : path) {
                if ("quote".equals(headName(a))) {
                    return true;
                }
            }
            return false;
        }

        /** For {@code ((fn [p...] body) a...)}: whether each argument is a plain value (not a symbol or a computation). */
        private static boolean[] plainArguments(RayList call) {
            boolean[] plain = new boolean[call.length() - 1];
            for (int i = 1; i < call.length(); i++) {
                RayValue a = call.get(i);
                plain[i - 1] = a instanceof RayTable || a instanceof RayDict
                        || (a instanceof Vector && !(a instanceof SymbolVector) && !(a instanceof RayList))
                        || (a instanceof Atom && !(a instanceof Symbol) && !(a instanceof Name))
                        || (a instanceof RayList q && "quote".equals(headName(q)) && q.length() == 2 && q.get(1) instanceof RayList);
            }
            return plain;
        }

        private List<String> params(RayValue v, RayValue owner, List<RayValue> path) {
            List<String> out = new ArrayList<>();
            if (v instanceof SymbolVector sv) {
                out.addAll(sv.toList());
            } else if (v instanceof RayList pl) {
                for (int i = 0; i < pl.length(); i++) {
                    if (pl.get(i) instanceof Name n) {
                        out.add(n.name());
                    } else if (pl.get(i) instanceof Symbol s) {
                        out.add(s.name());
                    }
                }
            } else if (v instanceof Name n) {
                out.add(n.name());
            }
            for (String p : out) {
                if (Builtins.isBuiltin(p) || p.startsWith(".")) {
                    throw refuse(p, "a function parameter may not rebind a builtin's name", owner, path);
                }
            }
            return out;
        }

        private void open(RayValue node, List<String> params, boolean[] plain, List<RayValue> path) {
            Map<String, Boolean> frame = new HashMap<>();
            for (int i = 0; i < params.size(); i++) {
                frame.put(params.get(i), plain != null && i < plain.length && plain[i]);
            }
            frames.push(frame);
            opened.merge(node, 1, Integer::sum);
        }

        private Boolean local(String name) {
            for (Map<String, Boolean> f : frames) {
                Boolean b = f.get(name);
                if (b != null) {
                    return b;
                }
            }
            return null;
        }

        private void name(String n, boolean head, RayList call, List<RayValue> path) {
            if (local(n) != null) {
                return;
            }
            if (n.startsWith(".")) {
                throw refuse(n, "namespace functions reach outside the engine's data (files, processes, the network, "
                        + "the journal, the host)", call, path);
            }
            int dot = n.indexOf('.');
            if (dot > 0) {
                // a.f applies the builtin f to a (when a has no key f): each later segment may be a call
                String[] segments = n.split("\\.", -1);
                name(segments[0], false, call, path);
                for (int i = 1; i < segments.length; i++) {
                    Builtins.Entry e = Builtins.get(segments[i]);
                    if (e != null && e.kind() != Builtins.Kind.PURE) {
                        throw refuse(segments[i], "'" + n + "' calls it on what comes before the dot", call, path);
                    }
                }
                return;
            }
            Builtins.Entry e = Builtins.get(n);
            if (e == null || e.kind() == Builtins.Kind.PURE) {
                return;
            }
            if (head && allowedCall(n, call)) {
                return;
            }
            String why = switch (e.kind()) {
                case WRITE -> "it changes the engine's globals or tables";
                case DYNAMIC -> "it evaluates code or reaches a binding chosen at run time";
                case EXTERNAL -> "it reaches outside the engine's data";
                default -> "it is not side-effect free";
            };
            throw refuse(n, why + (e.note().isEmpty() ? "" : ": " + e.note()), call, path);
        }

        /** The non-pure builtins a call may still use: a resolve of a literal name, a table function answering a copy. */
        private boolean allowedCall(String f, RayList call) {
            if (f.equals("resolve")) {
                return call.length() == 2 && call.get(1) instanceof Symbol s && !Builtins.isBuiltin(s.name())
                        && !s.name().startsWith(".");
            }
            if (TABLE_FUNCTIONS.contains(f) && call.length() >= 2) {
                RayValue target = call.get(1);
                if (f.equals("update") || f.equals("delete")) {
                    target = target instanceof RayDict d ? d.get("from") : null;
                }
                return copyTarget(target);
            }
            return false;
        }

        /** A table given as a value (so the function answers a changed copy): a global by name, a literal, a plain parameter. */
        private boolean copyTarget(RayValue target) {
            if (target instanceof RayTable) {
                return true;
            }
            if (target instanceof Name n) {
                Boolean plain = local(n.name());
                return plain == null ? !Builtins.isBuiltin(n.name()) && !n.name().startsWith(".") : plain;
            }
            return false;
        }

        private static Refusal refuse(String function, String why, RayValue at, List<RayValue> path) {
            return new Refusal(function, why, where(at, path));
        }
    }

    /** Where a node stood, in the words of the query: the select key or function argument it was under. */
    static String where(RayValue at, List<RayValue> path) {
        List<RayValue> chain = new ArrayList<>(path);
        if (at != null && (chain.isEmpty() || chain.get(chain.size() - 1) != at)) {
            chain.add(at);
        }
        boolean inLambda = false;
        for (int i = chain.size() - 1; i >= 0; i--) {
            RayValue v = chain.get(i);
            if (v instanceof Lambda || "fn".equals(headName(v))) {
                inLambda = true;
            }
            if (v instanceof RayDict d && i + 2 < chain.size() && d.keys() instanceof SymbolVector keys
                    && d.values() instanceof RayList vals && chain.get(i + 1) == vals) {
                RayValue child = chain.get(i + 2);
                for (int k = 0; k < vals.length() && k < keys.length(); k++) {
                    if (vals.get(k) == child) {
                        String owner = i > 0 ? headName(chain.get(i - 1)) : null;
                        return (inLambda ? "in a function body, " : "") + "in " + keys.get(k) + ": of "
                                + (owner == null ? "a dict" : "(" + owner + " ...)");
                    }
                }
            }
        }
        String owner = null;
        for (int i = chain.size() - 2; i >= 0 && owner == null; i--) {
            owner = headName(chain.get(i));
            if ("fn".equals(owner)) {
                owner = null;
            }
        }
        String inside = owner == null ? "at the top level" : "inside (" + owner + " ...)";
        return (inLambda ? "in a function body, " : "") + inside;
    }
}
