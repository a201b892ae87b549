package io.rayforce.cluster.router.globals;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.query.Join;
import io.rayforce.cluster.client.query.Queries;
import io.rayforce.cluster.client.query.Query;
import io.rayforce.cluster.client.query.SelectQuery;
import io.rayforce.cluster.client.query.WindowJoin;
import io.rayforce.cluster.client.rayfall.Builtins;
import io.rayforce.cluster.client.value.Atom;
import io.rayforce.cluster.client.value.I64Atom;
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
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.router.statement.Statement;
import io.rayforce.cluster.router.statement.Statements;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The statements about globals, carried out before a request is planned (docs/globals.md):
 * {@code (set name value)} (and a top-level {@code (let name value)}, and
 * {@code (count (set ...))}) binds a global, or stores a table as a cluster table (an ipcsave);
 * {@code (del name)} unbinds one; {@code (key (env 0))} lists every name, builtins first, as one
 * server does; a bare global's name answers its value as stored; and a top-level {@code do} of
 * statements runs them one after the other, as the engine runs the forms of one request.
 */
public final class GlobalStatements {
    /** What the statements need of the cluster. */
    public interface Cluster {
        /** The placement now. */
        ClusterSnapshot snapshot();

        /** Evaluates a request of the client's (statements included). */
        RayValue evaluate(RayValue tree);

        /** Evaluates an expression whose globals are already inlined (no statement). */
        RayValue evaluateInlined(RayValue tree);

        /** Checks a client's expression with the data-path rule before anything of it runs. */
        void check(RayValue expression);

        /** Stores {@code value} (a table, or a query answering one) as cluster table {@code name}: an ipcsave. */
        RayValue saveTable(String name, RayValue value, boolean countOnly);

        /** Drops cluster table {@code name}. */
        void dropTable(String name, String what);

        /** Fails with a timeout when the request has run past its deadline ({@code what} names the loop). */
        void checkDeadline(String what);

        /** The engine's {@code (alter 'g op args...)} applied to a global's value: its new value. */
        RayValue altered(RayValue value, List<RayValue> opAndArgs);

        /**
         * A write the request does not name is about to start ({@code what}: a call of a function
         * that writes): fails with {@code access} when the request's user may only read, and
         * makes the request run to completion from now on (failing when it was cancelled already).
         */
        void beginWrite(String what);
    }

    private static final List<String> ENGINE_ENV = loadEnv();
    /** Functions whose call at the top of a {@code do} makes it a sequence of statements. */
    private static final Set<String> STATEMENTS = Set.of("set", "let", "del", "insert", "upsert", "update", "delete", "alter");

    private final Globals globals;
    private final Cluster cluster;
    /** The write functions the request calls (docs/globals.md, Functions that write), found when it starts to run. */
    private WriteFunctions functions = WriteFunctions.NONE;

    public GlobalStatements(Globals globals, Cluster cluster) {
        this.globals = globals;
        this.cluster = cluster;
    }

    /** The answer to {@code tree} when it is a statement about globals; null when it is not one. */
    public RayValue run(RayValue tree) {
        if (tree instanceof Name n) {
            return bareName(n.name());
        }
        if (!(tree instanceof RayList l) || l.length() == 0 || !(l.get(0) instanceof Name head)) {
            return null;
        }
        functions = WriteFunctions.calledIn(tree, this::couldBeGlobal, globals);
        if (functions.isCall(l)) {
            return functions.call(l, cluster);
        }
        int argc = l.length() - 1;
        switch (head.name()) {
            case "do", "if", "times", "while":
                return control(l);
            case "set":
            case "let":
                if (argc == 2 && (head.name().equals("set") || l.get(1) instanceof Name)) {
                    return set(l.get(1), l.get(2), false, head.name());
                }
                return null;
            case "count":
                if (argc == 1 && l.get(1) instanceof RayList s && s.length() == 3 && s.get(0) instanceof Name h
                        && h.name().equals("set")) {
                    return set(s.get(1), s.get(2), true, "set");
                }
                return hoisted(l);
            case "del":
                return argc == 1 ? del(l.get(1)) : null;
            case "alter":
                return alter(l);
            case "key":
                if (argc == 1 && isEnv(l.get(1))) {
                    return listing();
                }
                return hoisted(l);
            default:
                return hoisted(l);
        }
    }

    /**
     * Calls whose arguments a statement inside is not lifted out of: it would run where it must not
     * (or not at all). A {@code do} holding a statement is lifted whole; one without holds only its
     * own locals' lets.
     */
    private static final Set<String> BARRIERS = Set.of("fn", "quote", "and", "or", "try", "let", "do");

    /**
     * An expression with statements inside it (outside functions and quotes, not under
     * {@code and}/{@code or}), as {@code (nil? (times 0 (set z 1)))}: each statement runs first,
     * in order, and the expression then runs with their answers in their place. Null when there
     * is none.
     */
    private RayValue hoisted(RayList l) {
        if (!liftable(l, true, functions::isCall)) {
            return null;
        }
        return cluster.evaluate(lift(l, true));
    }

    private static boolean liftable(RayValue node, boolean top, Predicate<RayValue> writeCall) {
        if (!top && hasStatement(node, false, writeCall)) {
            return true;
        }
        String f = head(node);
        if (f == null || BARRIERS.contains(f)) {
            return false;
        }
        RayList l = (RayList) node;
        for (int i = 1; i < l.length(); i++) {
            if (liftable(l.get(i), false, writeCall)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code form} writes where it runs: a statement there, or one inside it that is
     * lifted out ({@code inDo}: it runs inside a {@code do} or a function, where a {@code let} is
     * a local's); {@code writeCall} tells the calls of functions that write.
     */
    static boolean writes(RayValue form, boolean inDo, Predicate<RayValue> writeCall) {
        return hasStatement(form, inDo, writeCall) || liftable(form, true, writeCall);
    }

    private RayValue lift(RayValue node, boolean top) {
        if (!top && hasStatement(node)) {
            return literal(cluster.evaluate(node));
        }
        String f = head(node);
        if (f == null || BARRIERS.contains(f)) {
            return node;
        }
        RayList l = (RayList) node;
        List<RayValue> out = new ArrayList<>(l.toList());
        for (int i = 1; i < l.length(); i++) {
            out.set(i, lift(l.get(i), false));
        }
        return RayList.of(out);
    }

    /** {@code tree} with the values of the globals it uses put into it, read as this request reads them. */
    public RayValue inline(RayValue tree, ClusterSnapshot snapshot) {
        return GlobalInliner.inline(tree, snapshot, globals, this::listing);
    }

    /** Whether {@code v} evaluates to itself on the engine: it can be answered without one. */
    public static boolean isValue(RayValue v) {
        return v instanceof Atom && !(v instanceof Name) || v instanceof Vector && !(v instanceof RayList)
                || v instanceof RayDict || v instanceof RayTable || v instanceof Lambda;
    }

    /**
     * The value {@code tree} evaluates to when that is known without an engine: a value, or
     * {@code (list x1 ... xn)} of atoms and typed vectors (the engine's answer is the list of them,
     * byte for byte); null otherwise.
     */
    static RayValue constant(RayValue tree) {
        if (isValue(tree)) {
            return tree;
        }
        if (!"list".equals(head(tree))) {
            return null;
        }
        List<RayValue> items = ((RayList) tree).toList().subList(1, ((RayList) tree).length());
        return items.stream().allMatch(GlobalStatements::isItem) ? RayList.of(items) : null;
    }

    /** An atom or a typed vector: what a {@code (list ...)} of literals holds as it is written. */
    static boolean isItem(RayValue v) {
        return v instanceof Atom && !(v instanceof Name) || v instanceof Vector && !(v instanceof RayList);
    }

    /** A global's value as stored (exactly what one server answers for its name); null when the name is no global. */
    private RayValue bareName(String name) {
        if (!couldBeGlobal(name)) {
            return null;
        }
        return globals.current(List.of(name)).get(name);
    }

    private boolean couldBeGlobal(String name) {
        return !name.startsWith(".") && !Builtins.isBuiltin(name) && cluster.snapshot().table(name).isEmpty();
    }

    /**
     * Whether {@code tree} changes globals or tables where it stands: a statement, or a
     * {@code do}, {@code if}, {@code times} or {@code while} with one where its forms run.
     */
    private boolean hasStatement(RayValue tree) {
        return hasStatement(tree, false, functions::isCall);
    }

    /**
     * As {@link #hasStatement(RayValue)}; {@code inDo}: {@code tree} runs inside a {@code do},
     * where a {@code let} binds a local of the do (verified on the engine: after {@code (do (let z
     * 3) 1)} there is no {@code z}, after {@code (if true (let z 7) 0)} the global {@code z} is 7).
     */
    private static boolean hasStatement(RayValue tree, boolean inDo, Predicate<RayValue> writeCall) {
        String f = head(tree);
        if (f == null) {
            return false;
        }
        if (writeCall.test(tree)) {
            return true;
        }
        if (f.equals("let")) {
            return !inDo;
        }
        if (STATEMENTS.contains(f) || f.startsWith(".cluster.")) {
            return true;
        }
        RayList l = (RayList) tree;
        int from = switch (f) {
            case "do" -> 1;
            case "if", "times", "while" -> 2;
            default -> l.length();
        };
        for (int i = from; i < l.length(); i++) {
            if (hasStatement(l.get(i), inDo || f.equals("do"), writeCall)) {
                return true;
            }
        }
        return false;
    }

    private static String head(RayValue tree) {
        return tree instanceof RayList l && l.length() > 0 && l.get(0) instanceof Name h ? h.name() : null;
    }

    /**
     * A {@code do}, {@code if}, {@code times} or {@code while} holding a statement where its forms
     * run: each form as its own request, in order, as the engine runs them; null for any other.
     */
    private RayValue control(RayList l) {
        return hasStatement(l) ? ControlForms.run(l, cluster::evaluate, cluster::checkDeadline) : null;
    }

    private RayValue set(RayValue target, RayValue value, boolean countOnly, String form) {
        boolean stringName = target instanceof Str;
        String name = target instanceof Name n ? n.name() : target instanceof Symbol s ? s.name()
                : target instanceof Str s ? s.value() : null;
        if (name == null || name.isEmpty()) {
            throw new RayforceEvaluationError("type", form + ": the name to bind must be a symbol, got " + target);
        }
        if (name.startsWith(".")) {
            throw new RayforceEvaluationError("reserve", form + " " + name + ": names starting with '.' are reserved");
        }
        boolean function = "fn".equals(head(value));
        if (!function && writes(value, false, functions::isCall)) {
            // a value that writes (a call of a function that writes, a write): it runs first, as on one server
            value = literal(cluster.evaluate(value));
        }
        boolean writing = WriteFunctions.defines(value);
        ClusterSnapshot snapshot = cluster.snapshot();
        // a function is kept as written: its body looks its globals up when it is called, as on one server
        RayValue tree = function ? value : GlobalInliner.inline(value, snapshot, globals, this::listing);
        // a hostile function is refused when it is defined; one that writes, with its statements read as calls
        cluster.check(writing ? WriteFunctions.checkedCopy((RayList) tree) : tree);
        if (!writing && tableShaped(tree, snapshot)) {
            RayValue saved = cluster.saveTable(name, tree, countOnly);
            globals.remove(name);
            return saved;
        }
        // a function that writes is stored as written (an engine would not take its statements as an expression)
        RayValue v = writing ? WriteFunctions.lambda((RayList) tree, shell((RayList) tree))
                : cluster.evaluateInlined(tree);
        if (v instanceof RayTable) {
            RayValue saved = cluster.saveTable(name, v, countOnly);
            globals.remove(name);
            return saved;
        }
        if (stringName) {
            throw new RayforceEvaluationError("type", form + " \"" + name + "\": the name must be a symbol (the cluster "
                    + "takes a string name only for a table, as rayforce-py's ipcsave sends it)");
        }
        checkName(name, form); // a table may take a builtin's name (queries read it as the table), a global may not
        if (snapshot.table(name).isPresent()) {
            cluster.dropTable(name, form + " " + name); // one namespace, as on one server: the global replaces the table
        }
        globals.put(name, v);
        return countOnly ? cluster.evaluateInlined(RayList.of(Name.of("count"), literal(v))) : v;
    }

    /** The engine's function of {@code fn}'s parameters: how it reads them. */
    private Lambda shell(RayList fn) {
        if (cluster.evaluateInlined(WriteFunctions.shell(fn)) instanceof Lambda f) {
            return f;
        }
        throw new RayforceEvaluationError("type", "fn: expected a function of the parameters " + fn.get(1));
    }

    /** A name the engine binds, as the cluster binds it: not a builtin's, not a reserved dotted one. */
    static void checkName(String name, String form) {
        if (name.startsWith(".")) {
            throw new RayforceEvaluationError("reserve", form + " " + name + ": names starting with '.' are reserved");
        }
        if (Builtins.isBuiltin(name)) {
            throw new RayforceEvaluationError("access", "the cluster does not rebind builtin '" + name + "' (" + form
                    + " " + name + "): every engine of the cluster runs the builtins as they are");
        }
    }

    /** Whether {@code tree} answers a table without being evaluated first: a query, a cluster table, a table value. */
    private static boolean tableShaped(RayValue tree, ClusterSnapshot snapshot) {
        if (tree instanceof RayTable || tree instanceof Name n && snapshot.table(n.name()).isPresent()) {
            return true;
        }
        if (tree instanceof RayList l && l.length() > 0 && l.get(0) instanceof Name h && h.name().equals("table")) {
            return true;
        }
        Query q;
        try {
            q = Queries.parse(tree).orElse(null);
        } catch (RuntimeException e) {
            return false;
        }
        if (q instanceof SelectQuery || q instanceof Join || q instanceof WindowJoin) {
            return true;
        }
        try {
            // a write function applied to a cluster table by name answers a changed copy: a table
            return Statements.recognize(tree, snapshot).filter(st -> st instanceof Statement.CopyForm).isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * {@code (alter 'g op args...)} of a global (not a cluster table: the write path alters those):
     * the engine's {@code set}, {@code concat} or {@code remove} computed on the global's value (on
     * the scratch engine, the only place the engine alters a value), then stored as a {@code set}
     * stores it. Answers the name, as the engine does; a global that does not exist is
     * {@code name}, another operation {@code domain}. Null when the target is no global's name.
     */
    private RayValue alter(RayList l) {
        if (l.length() < 3) {
            return null;
        }
        String name = Statements.inPlaceName(l.get(1));
        if (name == null || cluster.snapshot().table(name).isPresent()) {
            return null;
        }
        String op = Statements.alterOperation(l);
        RayValue value = globals.current(List.of(name)).get(name);
        if (value == null) {
            throw new RayforceEvaluationError("name", "alter '" + name + ": there is no global " + name);
        }
        List<RayValue> opAndArgs = new ArrayList<>(List.of(Name.of(op)));
        for (int i = 3; i < l.length(); i++) {
            opAndArgs.add(isValue(l.get(i)) ? l.get(i) : cluster.evaluate(l.get(i)));
        }
        set(Symbol.of(name), literal(cluster.altered(value, opAndArgs)), false, "alter");
        return Symbol.of(name);
    }

    /** {@code (del name)}: unbinds a global (the engine answers 0 whether or not there was one). */
    private RayValue del(RayValue target) {
        String name = target instanceof Name n ? n.name() : target instanceof Symbol s ? s.name() : null;
        if (name == null || name.isEmpty()) {
            return null;
        }
        if (cluster.snapshot().table(name).isPresent()) {
            // one namespace, as on one server: del removes the table, which for a cluster table is a drop
            cluster.dropTable(name, "del " + name);
            return I64Atom.of(0);
        }
        checkName(name, "del");
        globals.remove(name);
        return I64Atom.of(0);
    }

    /** {@code (env N)}: a call the listing answers. */
    static boolean isEnv(RayValue v) {
        return v instanceof RayList e && e.length() == 2 && e.get(0) instanceof Name n && n.name().equals("env")
                && e.get(1) instanceof Atom a && !(a instanceof Name) && !(a instanceof Symbol) && !(a instanceof Str);
    }

    /** {@code (key (env 0))}: the engine's builtins in its order, then the globals and tables in definition order. */
    public SymbolVector listing() {
        List<String> tables = new ArrayList<>();
        for (TablePlacement t : cluster.snapshot().tables().values()) {
            tables.add(t.getSpec().getName());
        }
        List<String> names = new ArrayList<>(ENGINE_ENV);
        names.addAll(globals.names(tables));
        return SymbolVector.of(names.toArray(String[]::new));
    }

    /** A value as an expression that evaluates to it. */
    private static RayValue literal(RayValue v) {
        return v instanceof RayList || v instanceof Symbol || v instanceof Str ? RayList.of(Name.of("quote"), v) : v;
    }

    /** The names a fresh pinned engine lists in {@code (key (env 0))}, in its order. */
    public static List<String> engineEnv() {
        return ENGINE_ENV;
    }

    private static List<String> loadEnv() {
        List<String> out = new ArrayList<>();
        try (InputStream in = GlobalStatements.class.getResourceAsStream("engine-env.txt")) {
            if (in == null) {
                throw new IllegalStateException("engine-env.txt is missing from the router jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    out.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableList(out);
    }
}
