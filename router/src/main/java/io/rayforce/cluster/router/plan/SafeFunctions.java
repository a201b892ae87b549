package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.Builtin;
import io.rayforce.cluster.client.value.Lambda;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import java.util.Set;

/**
 * Which engine builtins an expression may name before the router evaluates it on an engine
 * itself (its scratch engine, or a node for a scalar expression). Everything pure is allowed;
 * writes, globals, files, processes, IPC, journals and every {@code .namespace} builtin are
 * refused (the engine does not restrict {@code .sys.exit} even for restricted clients). Names
 * that are not builtins (columns, tables, lambda parameters) are left alone.
 */
public final class SafeFunctions {
    /** Builtins of the pinned engine that compute without side effects. */
    static final Set<String> ALLOWED = Set.of("!=", "%", "*", "+", "-", "/", "<", "<=", "==", ">", ">=", "abs", "acos",
            "all", "and", "anti-join", "any", "as", "asc", "asin", "asof-join", "at", "atan", "avg", "avgs", "bin", "binr",
            "bot", "ceil", "cols", "concat", "cos", "count", "cov", "cross", "cut", "date", "dd", "desc", "dev", "dev_pop",
            "dict", "differ", "distinct", "div", "do", "dow", "doy", "drop", "enlist", "except", "exp", "false", "fill",
            "fills", "filter", "find", "first", "floor", "fn", "fold", "fold-left", "fold-right", "fold-while", "full-join",
            "group", "hh", "iasc", "idesc", "if", "in", "inner-join", "inner-prod", "key", "lag", "last", "lead",
            "left-join", "like", "list", "log", "lower", "map", "map-left", "map-right", "mavg", "max", "maxs", "mcount",
            "mdev", "med", "meta", "min", "mins", "minute", "mm", "mmax", "mmin", "mode", "msum", "mvar", "neg", "nil?",
            "norm", "not", "not-in", "or", "pearson_corr", "percentile", "pivot", "pow", "prds", "prior", "prod",
            "quantile", "quote", "rank", "ratios", "raze", "reciprocal", "reverse", "rotate", "round", "row", "scan",
            "scan-left", "scan-right", "scov", "sect", "select", "signum", "sin", "split", "sqrt", "ss", "stddev",
            "stddev_pop", "str-find", "str-join", "strlen", "substr", "sum", "sums", "table", "take", "tan", "til",
            "top", "trim", "true", "type", "ungroup", "union", "union-all", "upper", "value", "var", "var_pop", "wavg",
            "where", "window-join", "window-join1", "within", "wsum", "xasc", "xbar", "xcol", "xcols", "xdesc",
            "xgroup", "xkey", "xrank", "yyyy", "null", "time", "timestamp", "guid", "rand", "format", "get", "try", "raise",
            "parse");

    /** Every builtin the pinned engine defines (so that other names are known to be columns or variables). */
    static final Set<String> BUILTINS = Set.of("aa", "alter", "ann", "apply", "assert-fact", "cos-dist", "datoms",
            "de", "def", "del", "delete", "diverse", "dl-add-edb", "dl-eval", "dl-free", "dl-program", "dl-provenance",
            "dl-query", "dl-stratify", "env", "eval", "exit", "fkeys", "format", "get", "guid", "hnsw-build",
            "hnsw-free", "hnsw-info", "hnsw-load", "hnsw-save", "insert", "knn", "l2-dist", "let", "load", "modify",
            "parse", "pmap", "print", "println", "pull", "query", "raise", "rand", "rc", "read", "read-bytes", "read-csv",
            "remove", "replace", "resolve", "retract-fact", "return", "rule", "scan-eav", "ser", "set", "show",
            "sym-name", "t", "time", "timeit", "times", "timestamp", "try", "u", "unify", "update", "upsert", "where",
            "while", "window", "write", "write-bytes", "write-csv", "zz");

    private SafeFunctions() {
    }

    /** Fails naming the first builtin in {@code tree} that is not allowed. */
    public static void check(RayValue tree) {
        String bad = firstForbidden(tree, 0);
        if (bad != null) {
            throw new UnsupportedQueryError("the cluster does not run '" + bad + "' on behalf of clients "
                    + "(only side-effect-free functions can be evaluated by the router)");
        }
    }

    private static String firstForbidden(RayValue v, int depth) {
        if (depth > 512) {
            return "(expression nested deeper than 512)";
        }
        if (v instanceof Name n) {
            return forbidden(n.name()) ? n.name() : null;
        }
        if (v instanceof Builtin b) {
            return forbidden(b.name()) ? b.name() : null;
        }
        if (v instanceof RayList l) {
            for (int i = 0; i < l.length(); i++) {
                String bad = firstForbidden(l.get(i), depth + 1);
                if (bad != null) {
                    return bad;
                }
            }
            return null;
        }
        if (v instanceof RayDict d) {
            String bad = firstForbidden(d.keys(), depth + 1);
            return bad != null ? bad : firstForbidden(d.values(), depth + 1);
        }
        if (v instanceof Lambda f) {
            String bad = firstForbidden(f.body(), depth + 1);
            return bad != null || f.closure() == null ? bad : firstForbidden(f.closure(), depth + 1);
        }
        return null;
    }

    static boolean forbidden(String name) {
        if (name.startsWith(".")) {
            return true;
        }
        return !ALLOWED.contains(name) && BUILTINS.contains(name);
    }
}
