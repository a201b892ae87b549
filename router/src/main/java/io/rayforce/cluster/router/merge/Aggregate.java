package io.rayforce.cluster.router.merge;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import java.util.List;

/**
 * One aggregate of a select, split the way the cluster computes it: partial states per shard
 * (projections added to the shard's select, named {@code out} or {@code __out_...}) and one
 * combine rule at the router. {@link Kind} lists what can be split exactly.
 */
public record Aggregate(String output, Kind kind, Expr argument) {

    /** The aggregates the router finishes itself, with the engine functions they stand for. */
    public enum Kind {
        SUM, COUNT, MIN, MAX, AVG, FIRST, LAST, MEDIAN, COUNT_DISTINCT, VAR, VAR_POP, DEV, STDDEV;

        /** The kind of {@code (f x)}, or null when f is not a splittable aggregate. */
        static Kind of(String function) {
            return switch (function) {
                case "sum" -> SUM;
                case "count" -> COUNT;
                case "min" -> MIN;
                case "max" -> MAX;
                case "avg" -> AVG;
                case "first" -> FIRST;
                case "last" -> LAST;
                case "med" -> MEDIAN;
                case "var" -> VAR;
                case "var_pop" -> VAR_POP;
                case "dev", "dev_pop", "stddev_pop" -> DEV;
                case "stddev" -> STDDEV;
                default -> null;
            };
        }

        /** True when the partial is a list of values (per group) rather than a fixed-size state. */
        public boolean gathersValues() {
            return this == MEDIAN || this == COUNT_DISTINCT;
        }
    }

    /** The aggregate {@code projection} computes, or null when it is not one the router can split. */
    public static Aggregate of(Named projection) {
        if (!(projection.expr() instanceof Call c) || c.args().size() != 1) {
            return null;
        }
        Expr arg = c.args().get(0);
        if (c.function().equals("count") && arg instanceof Call inner && inner.function().equals("distinct")
                && inner.args().size() == 1 && rowWise(inner.args().get(0))) {
            return new Aggregate(projection.name(), Kind.COUNT_DISTINCT, inner.args().get(0));
        }
        Kind k = Kind.of(c.function());
        return k != null && rowWise(arg) ? new Aggregate(projection.name(), k, arg) : null;
    }

    /** True when {@code e} computes a value per row (no aggregate inside), so it can run on a shard. */
    public static boolean rowWise(Expr e) {
        if (e instanceof Column || e instanceof Literal) {
            return true;
        }
        Call c = (Call) e;
        if (Kind.of(c.function()) != null || NOT_ROW_WISE.contains(c.function())) {
            return false;
        }
        return c.args().stream().allMatch(Aggregate::rowWise);
    }

    /** Functions that look at more than one row (aggregates the router cannot split, running values). */
    private static final java.util.Set<String> NOT_ROW_WISE = java.util.Set.of("distinct", "wavg", "wsum", "mode",
            "prod", "percentile", "quantile", "cov", "scov", "pearson_corr", "all", "any", "top", "bot", "sums",
            "avgs", "deltas", "mavg", "msum", "mcount", "mmin", "mmax", "til", "take", "at", "first", "last", "count",
            "enlist", "list", "raze", "ungroup", "xasc", "xdesc", "reverse", "rank", "iasc", "idesc", "group",
            "select", "update", "exec", "fills", "prev", "next", "ratios", "differ", "med", "dev", "var", "stddev");

    /** The projections this aggregate adds to a shard's grouped select (partial states). */
    public List<Named> groupedPartials() {
        return switch (kind) {
            case SUM -> List.of(call(output, "sum", argument));
            case COUNT -> List.of(call(output, "count", argument));
            case MIN -> List.of(call(output, "min", argument));
            case MAX -> List.of(call(output, "max", argument));
            case AVG -> List.of(call(output, "sum", argument), nonNullCount(hidden("n")));
            case FIRST -> List.of(call(output, "first", argument), seqOfNonNull(hidden("s"), "min"));
            case LAST -> List.of(call(output, "last", argument), seqOfNonNull(hidden("s"), "max"));
            case VAR, VAR_POP, DEV, STDDEV -> List.of(call(output, "avg", argument), nonNullCount(hidden("n")),
                    call(hidden("q"), "var_pop", argument));
            // in a grouped select a plain (or distinct) column becomes a list per group
            case MEDIAN -> List.of(new Named(output, argument));
            case COUNT_DISTINCT -> List.of(new Named(output, new Call("distinct", List.of(argument))));
        };
    }

    /**
     * The projections this aggregate adds to a shard's ungrouped select (one row per shard).
     * Median and distinct count have none there: their values come from a separate gather.
     */
    public List<Named> scalarPartials() {
        return kind.gathersValues() ? List.of() : groupedPartials();
    }

    /** A hidden partial column of this aggregate. */
    public String hidden(String part) {
        return "__" + output + "_" + part;
    }

    private static Named call(String name, String f, Expr x) {
        return new Named(name, new Call(f, List.of(x)));
    }

    /**
     * {@code (- (count x) (sum (nil? x)))}: how many values are not null. Measured on the pinned
     * engine this costs about half of {@code (sum (not (nil? x)))} (one temporary vector fewer).
     */
    private Named nonNullCount(String name) {
        return new Named(name, new Call("-", List.of(new Call("count", List.of(argument)),
                new Call("sum", List.of(new Call("nil?", List.of(argument)))))));
    }

    /** {@code (min (if (nil? x) 0N __seq))}: the sequence number of the first (or last, with max) non-null value. */
    private Named seqOfNonNull(String name, String minOrMax) {
        Expr seqIfValue = new Call("if", List.of(new Call("nil?", List.of(argument)),
                new Literal(I64Atom.NULL), Column.of(ClusterNaming.SEQ_COLUMN)));
        return new Named(name, new Call(minOrMax, List.of(seqIfValue)));
    }
}
