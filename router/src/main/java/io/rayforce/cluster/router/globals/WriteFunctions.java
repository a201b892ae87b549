package io.rayforce.cluster.router.globals;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.rayfall.Builtins;
import io.rayforce.cluster.client.rayfall.TreeWalk;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Lambda;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayNull;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Global functions that write (docs/globals.md, Functions that write): a function whose body
 * holds a statement where it runs (a table write, {@code set}, {@code del}, {@code alter} or a
 * {@code .cluster.*} call, at the top of the body, under {@code do}/{@code if}/{@code times}/
 * {@code while} there, or inside an expression), or that calls such a function by name, as the
 * tick pattern's {@code (set upd (fn [t x] (insert t x)))}. One server runs its body in one
 * request; the cluster runs a call of it as the engine would, form by form: the arguments
 * evaluated first, then each form of the body with the parameters (and the lets of the body, as
 * they are bound) put in as values, each form a request of its own, so every write goes through
 * the write path and its checks. The answer is the last form's.
 */
final class WriteFunctions {
    /** Levels of functions calling functions looked up for one request. */
    private static final int MAX_ROUNDS = 16;
    /** Calls of write functions inside calls of write functions, at most (a function calling itself for ever). */
    static final int MAX_CALL_DEPTH = 64;
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    /** How a statement's head reads in the copy of a write function that the data-path rule checks. */
    private static final Map<String, String> CHECKED_AS = Map.of("insert", "list", "upsert", "list", "set", "list",
            "del", "list", "alter", "list", "update", "select", "delete", "select");

    static final WriteFunctions NONE = new WriteFunctions(Map.of());

    private final Map<String, Lambda> writing;

    private WriteFunctions(Map<String, Lambda> writing) {
        this.writing = writing;
    }

    /**
     * The write functions {@code tree} calls by name, directly or through the functions it calls,
     * looked up as globals ({@code couldBeGlobal} tells which names may be one): one lookup per
     * level of calls, none when {@code tree} calls no function but builtins.
     */
    static WriteFunctions calledIn(RayValue tree, Predicate<String> couldBeGlobal, Globals globals) {
        Set<String> next = callHeads(tree, couldBeGlobal);
        if (next.isEmpty()) {
            return NONE;
        }
        Map<String, Lambda> functions = new HashMap<>();
        Set<String> asked = new HashSet<>();
        for (int round = 0; round < MAX_ROUNDS && !next.isEmpty(); round++) {
            asked.addAll(next);
            Set<String> more = new LinkedHashSet<>();
            for (Map.Entry<String, RayValue> e : globals.current(next).entrySet()) {
                if (e.getValue() instanceof Lambda f) {
                    functions.put(e.getKey(), f);
                    for (String h : callHeads(f.body(), couldBeGlobal)) {
                        if (!asked.contains(h)) {
                            more.add(h);
                        }
                    }
                }
            }
            next = more;
        }
        // a function writes when its body does, counting calls of the functions already known to write
        Map<String, Lambda> writing = new HashMap<>();
        for (boolean grew = true; grew; ) {
            grew = false;
            for (Map.Entry<String, Lambda> e : functions.entrySet()) {
                if (!writing.containsKey(e.getKey()) && bodyWrites(forms(e.getValue().body()), n -> isCall(n, writing))) {
                    writing.put(e.getKey(), e.getValue());
                    grew = true;
                }
            }
        }
        return writing.isEmpty() ? NONE : new WriteFunctions(writing);
    }

    /** Whether {@code node} is a call of one of these write functions by name. */
    boolean isCall(RayValue node) {
        return !writing.isEmpty() && isCall(node, writing);
    }

    private static boolean isCall(RayValue node, Map<String, Lambda> writing) {
        return node instanceof RayList l && l.length() > 0 && l.get(0) instanceof Name h && writing.containsKey(h.name());
    }

    /** Whether the forms of a function's body write where they run (calls that {@code writeCall} names included). */
    private static boolean bodyWrites(List<RayValue> forms, Predicate<RayValue> writeCall) {
        for (RayValue form : forms) {
            if (GlobalStatements.writes(form, true, writeCall)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code fn}, a {@code (fn params forms...)} tree, is a write function by its own forms. */
    static boolean defines(RayValue fn) {
        return fn instanceof RayList l && l.length() > 2 && l.get(0) instanceof Name h && h.name().equals("fn")
                && bodyWrites(l.toList().subList(2, l.length()), n -> false);
    }

    /**
     * The copy of a write function's definition that the data-path rule checks when it is
     * defined: every statement made a plain call of its arguments ({@code (insert t x)} as
     * {@code (list t x)}, an update's or delete's dict as a select's), so a function that also
     * calls a refused builtin is refused before it is stored. Each statement is checked again,
     * as a statement, when a call of the function runs it.
     */
    static RayValue checkedCopy(RayList fn) {
        return TreeWalk.rewrite(fn, v -> {
            if (v instanceof RayList l && l.length() > 0 && l.get(0) instanceof Name h) {
                String as = CHECKED_AS.get(h.name());
                if (as == null && h.name().startsWith(".cluster.")) {
                    as = "list";
                }
                if (as != null) {
                    List<RayValue> out = new ArrayList<>(l.toList());
                    out.set(0, Name.of(as));
                    return RayList.of(out);
                }
            }
            return v;
        });
    }

    /**
     * The function {@code fn} defines, as the engine stores it: the parameters as the engine reads
     * them (from {@code shell}, the engine's function of the same parameters), the forms as written.
     */
    static Lambda lambda(RayList fn, Lambda shell) {
        return new Lambda(shell.attrs(), shell.params(), RayList.of(fn.toList().subList(2, fn.length())), shell.closure());
    }

    /** A function of {@code fn}'s parameters that only answers 0: evaluated by the engine for its parameters. */
    static RayValue shell(RayList fn) {
        return RayList.of(fn.get(0), fn.get(1), I64Atom.of(0));
    }

    /**
     * Runs {@code call}, a call of one of these write functions: its arguments evaluated, then its
     * forms, each as a request of {@code cluster}'s; the last form's answer.
     */
    RayValue call(RayList call, GlobalStatements.Cluster cluster) {
        String name = ((Name) call.get(0)).name();
        Lambda f = writing.get(name);
        cluster.beginWrite("function " + name + " (it writes)");
        List<String> params = GlobalInliner.parameters(f.params());
        int argc = call.length() - 1;
        if (argc != params.size()) {
            throw new RayforceEvaluationError("arity", name + " takes " + params.size() + " argument"
                    + (params.size() == 1 ? "" : "s") + ", got " + argc);
        }
        Map<String, RayValue> locals = new HashMap<>();
        if (f.closure() instanceof RayDict c && c.keys() instanceof SymbolVector keys && c.values() instanceof RayList vals) {
            for (int i = 0; i < keys.length() && i < vals.length(); i++) {
                locals.put(keys.get(i), vals.get(i));
            }
        }
        List<RayValue> args = new ArrayList<>(argc);
        for (int i = 1; i <= argc; i++) {
            RayValue a = call.get(i);
            RayValue known = GlobalStatements.constant(a);
            args.add(known != null ? known : cluster.evaluate(a));
        }
        for (int i = 0; i < argc; i++) {
            locals.put(params.get(i), args.get(i));
        }
        int[] depth = DEPTH.get();
        if (depth[0] >= MAX_CALL_DEPTH) {
            throw new RayforceEvaluationError("limit", "function " + name + ": write functions called inside each other more"
                    + " than " + MAX_CALL_DEPTH + " levels deep");
        }
        depth[0]++;
        try {
            Frame frame = new Frame(name, locals, cluster);
            RayValue last = RayNull.INSTANCE;
            for (RayValue form : forms(f.body())) {
                last = frame.apply(selfCalls(form, name));
            }
            return last;
        } finally {
            depth[0]--;
        }
    }

    /** {@code form} with its calls of {@code self} (the running function, not a function nested in it) made calls of {@code name}. */
    private static RayValue selfCalls(RayValue form, String name) {
        if (form instanceof RayList l && l.length() > 0) {
            if (l.get(0) instanceof Name h && (h.name().equals("fn") || h.name().equals("quote"))) {
                return form;
            }
            List<RayValue> out = new ArrayList<>(l.length());
            boolean changed = false;
            for (int i = 0; i < l.length(); i++) {
                RayValue c = i == 0 && l.get(0) instanceof Name h && h.name().equals("self") ? Name.of(name)
                        : selfCalls(l.get(i), name);
                changed |= c != l.get(i);
                out.add(c);
            }
            return changed ? RayList.of(out) : form;
        }
        return form;
    }

    /**
     * A running call's frame: its locals (parameters, then the lets of its body as they are bound;
     * a {@code do} has its own), and how one form of the body runs in it. A form that writes under
     * {@code do}, {@code if}, {@code times} or {@code while} runs form by form; any other form is a
     * request of its own with the locals put in.
     */
    private final class Frame implements UnaryOperator<RayValue> {
        private final String name;
        private final Map<String, RayValue> locals;
        private final GlobalStatements.Cluster cluster;

        Frame(String name, Map<String, RayValue> locals, GlobalStatements.Cluster cluster) {
            this.name = name;
            this.locals = locals;
            this.cluster = cluster;
        }

        @Override
        public RayValue apply(RayValue form) {
            cluster.checkDeadline("function " + name);
            if (form instanceof RayList l && l.length() > 0 && l.get(0) instanceof Name h) {
                if (h.name().equals("let") && l.length() == 3 && l.get(1) instanceof Name bound) {
                    RayValue v = evaluate(l.get(2));
                    locals.put(bound.name(), v);
                    return v;
                }
                if (!GlobalStatements.writes(form, true, WriteFunctions.this::isCall)) {
                    if (GlobalStatements.writes(form, false, WriteFunctions.this::isCall)) {
                        // a let that a request of its own would make a global's: run where it binds a local, as here
                        return evaluate(RayList.of(RayList.of(Name.of("fn"), SymbolVector.of(), form)));
                    }
                } else {
                    UnaryOperator<RayValue> in = h.name().equals("do") ? new Frame(name, new HashMap<>(locals), cluster) : this;
                    RayValue out = ControlForms.run(l, in, cluster::checkDeadline);
                    if (out != null) {
                        return out;
                    }
                    if (letOutsideFunctions(form)) {
                        throw new UnsupportedQueryError("function " + name + ": a let inside an expression that writes ("
                                + form + "); the cluster runs the writes in it first, where the let would bind a global: "
                                + "bind it with a let of its own in the function's body");
                    }
                }
            }
            return evaluate(form);
        }

        private RayValue evaluate(RayValue form) {
            RayValue bound = GlobalInliner.bind(form, cluster.snapshot(), locals);
            return GlobalStatements.isValue(bound) ? bound : cluster.evaluate(bound);
        }
    }

    /** Whether {@code form} holds a {@code let} that is not a nested function's own (or quoted data). */
    private static boolean letOutsideFunctions(RayValue form) {
        boolean[] found = {false};
        TreeWalk.walk(form, (v, path) -> {
            if (found[0] || v instanceof Lambda) {
                return false;
            }
            if (v instanceof RayList l && l.length() > 0 && l.get(0) instanceof Name h) {
                if (h.name().equals("fn") || h.name().equals("quote")) {
                    return false;
                }
                found[0] = h.name().equals("let");
            }
            return !found[0];
        });
        return found[0];
    }

    /** A function's body as its forms. */
    private static List<RayValue> forms(RayValue body) {
        return body instanceof RayList l ? l.toList() : List.of(body);
    }

    /** The names {@code tree} calls that could be global functions. */
    private static Set<String> callHeads(RayValue tree, Predicate<String> couldBeGlobal) {
        Set<String> out = new LinkedHashSet<>();
        TreeWalk.walk(tree, (node, path) -> {
            // a dict's values ({px: px from: t}) are a list of expressions, not a call
            RayValue parent = path.isEmpty() ? null : path.get(path.size() - 1);
            if (node instanceof RayList l && l.length() > 0 && TreeWalk.evaluatedAsCall(parent, l) && l.get(0) instanceof Name h
                    && !h.name().equals("self")
                    && !Builtins.isBuiltin(h.name()) && !h.name().startsWith(".") && couldBeGlobal.test(h.name())) {
                out.add(h.name());
            }
            return true;
        });
        return out;
    }
}
