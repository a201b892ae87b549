package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The aggregates the cluster splits over shards, by the engine function they stand for, and how
 * the engine computes each where it stands (of a vector, in a grouped select, in an ungrouped
 * one): the one place that decides.
 */
public final class AggregateRules {
    private static final Map<String, AggregateRule> BY_FUNCTION = Map.ofEntries(
            Map.entry("sum", new SumRule("sum")),
            Map.entry("count", new SumRule("count")),
            Map.entry("min", new ExtremeRule(true)),
            Map.entry("max", new ExtremeRule(false)),
            Map.entry("avg", new AvgRule(false)),
            Map.entry("first", new EdgeRule(true)),
            Map.entry("last", new EdgeRule(false)),
            Map.entry("med", new RankRule(RankRule.Form.MEDIAN)),
            Map.entry("var", new VarianceRule(VarianceRule.Form.VAR)),
            Map.entry("var_pop", new VarianceRule(VarianceRule.Form.VAR_POP)),
            Map.entry("dev", new VarianceRule(VarianceRule.Form.DEV)),
            Map.entry("dev_pop", new VarianceRule(VarianceRule.Form.DEV)),
            Map.entry("stddev_pop", new VarianceRule(VarianceRule.Form.DEV)),
            Map.entry("stddev", new VarianceRule(VarianceRule.Form.STDDEV)),
            Map.entry("prod", new ProdRule(false)),
            Map.entry("all", new LogicRule(true)),
            Map.entry("any", new LogicRule(false)),
            Map.entry("mode", new ModeRule(false)));
    /** Aggregates of two per-row arguments: {@code (wavg w x)}, {@code (cov x y)}. */
    private static final Map<String, AggregateRule> OF_TWO = Map.of(
            "wavg", new WeightedRule(true),
            "wsum", new WeightedRule(false),
            "cov", new CoMomentRule(CoMomentRule.Form.COV),
            "scov", new CoMomentRule(CoMomentRule.Form.SCOV),
            "pearson_corr", new CoMomentRule(CoMomentRule.Form.PEARSON));
    /** Aggregates of a per-row argument and a literal: {@code (percentile x 90)}, {@code (top x 3)}. */
    private static final Map<String, AggregateRule> WITH_PARAMETER = Map.of(
            "percentile", new RankRule(RankRule.Form.PERCENTILE),
            "quantile", new RankRule(RankRule.Form.QUANTILE),
            "top", new TopRule(true),
            "bot", new TopRule(false));
    private static final AggregateRule DISTINCT_COUNT = new DistinctCountRule(false);
    private static final AggregateRule DISTINCT_VALUES = new DistinctCountRule(true);
    private static final AggregateRule MEDIAN = BY_FUNCTION.get("med");
    private static final AggregateRule PROD_PROJECTION = new ProdRule(true);
    private static final AggregateRule MODE_PROJECTION = new ModeRule(true);
    private static final AggregateRule AVG_OF_FLOATS = new AvgRule(true);

    /** Where an aggregate stands, which decides how the engine computes it. */
    public enum Place {
        /** Of a vector: {@code (sum (at t 'x))}. */
        VECTOR,
        /** In an ungrouped select that also computes an expression over aggregates: each projection as of a vector. */
        WITH_EXPRESSIONS,
        /** In a grouped select. */
        GROUPED,
        /** In an ungrouped select of aggregates only. */
        UNGROUPED
    }

    private AggregateRules() {
    }

    /** The rule of a one-argument call of {@code function}, or null when it is not an aggregate the cluster splits. */
    public static AggregateRule forFunction(String function) {
        return BY_FUNCTION.get(function);
    }

    /** A distinct count that keeps each group's distinct values (a list column) for a later step to count. */
    public static Aggregate distinctValues(Aggregate distinctCount) {
        return new Aggregate(distinctCount.output(), DISTINCT_VALUES, distinctCount.argument());
    }

    /** How many distinct values the vectors hold together, as a distinct count counts them. */
    public static long distinctCount(List<Vector> parts) {
        return DistinctCountRule.count(parts);
    }

    /** The null atom of {@code v}'s type (false and 0 for booleans and bytes, which have none). */
    public static RayValue nullLike(Vector v) {
        return Partials.nullLike(v);
    }

    /** Whether {@code function} aggregates (so an expression calling it is not row-wise). */
    public static boolean isAggregate(String function) {
        return BY_FUNCTION.containsKey(function) || OF_TWO.containsKey(function) || WITH_PARAMETER.containsKey(function);
    }

    /**
     * The aggregate {@code e} computes, as {@code output}, as the engine computes it of a vector:
     * {@code (f x)} with a rule for f, {@code (count (distinct x))}, {@code (f x y)} of two per-row
     * arguments, or {@code (f x p)} with a literal parameter the engine accepts (a percentile from
     * 0 to 100, a quantile from 0 to 1, a positive i64 k of top or bot); null otherwise (the
     * engine then answers for itself, errors included). The per-row arguments are not checked here.
     */
    public static Aggregate recognize(String output, Expr e) {
        if (!(e instanceof Call c)) {
            return null;
        }
        if (c.args().size() == 2) {
            return two(output, c);
        }
        if (c.args().size() != 1) {
            return null;
        }
        Expr arg = c.args().get(0);
        if (c.function().equals("count") && arg instanceof Call inner && inner.function().equals("distinct")
                && inner.args().size() == 1) {
            return new Aggregate(output, DISTINCT_COUNT, inner.args().get(0));
        }
        AggregateRule r = BY_FUNCTION.get(c.function());
        return r == null ? null : new Aggregate(output, r, arg);
    }

    private static Aggregate two(String output, Call c) {
        Expr first = c.args().get(0);
        Expr second = c.args().get(1);
        AggregateRule r = OF_TWO.get(c.function());
        if (r != null) {
            return second instanceof Literal ? null : new Aggregate(output, r, first, List.of(second));
        }
        r = WITH_PARAMETER.get(c.function());
        if (r == null || !(second instanceof Literal p)) {
            return null;
        }
        boolean accepted = switch (c.function()) {
            case "percentile" -> inRange(RankRule.number(p.value()), 100);
            case "quantile" -> inRange(RankRule.number(p.value()), 1);
            default -> p.value() instanceof I64Atom k && !k.isNull() && k.value() > 0;
        };
        return accepted ? new Aggregate(output, r, first, List.of(second)) : null;
    }

    private static boolean inRange(double v, double max) {
        return v >= 0 && v <= max; // false for NaN (a null or a parameter that is not a number)
    }

    /**
     * {@code a} (as {@link #recognize} gives it) as the engine computes it at {@code place}, or
     * null when the cluster does not compute it there. Measured on the pinned engine: in a select
     * (grouped or not) {@code prod} over no values is null, not 1, and {@code mode} counts the
     * empty string as a value; in an ungrouped select of aggregates only, {@code percentile} and
     * {@code quantile} answer the median whatever their parameter, and {@code top} and {@code bot}
     * the zero of the values' type; in an ungrouped select that also computes an expression over
     * aggregates the engine computes each projection as of a vector, refuses {@code med}
     * ({@code nyi}), and {@code top} would make a column of many rows: neither is distributed there.
     */
    public static Aggregate at(Place place, Aggregate a) {
        if (place == Place.VECTOR) {
            return a;
        }
        if (place == Place.WITH_EXPRESSIONS) {
            return a.rule() == MEDIAN || !a.rule().oneValue() ? null : a;
        }
        if (a.rule() == BY_FUNCTION.get("prod")) {
            return a.withRule(PROD_PROJECTION);
        }
        if (a.rule() == BY_FUNCTION.get("mode")) {
            return a.withRule(MODE_PROJECTION);
        }
        if (place == Place.UNGROUPED) {
            if (a.rule() == WITH_PARAMETER.get("percentile") || a.rule() == WITH_PARAMETER.get("quantile")) {
                return new Aggregate(a.output(), MEDIAN, a.argument());
            }
            if (a.rule() instanceof TopRule t) {
                return a.withRule(new ZeroRule(t.name().toLowerCase()));
            }
        }
        return a;
    }

    /**
     * {@code a} for an argument whose type is known: the average of a column that {@code floats}
     * says is f64 sums its values as they are, where any other argument is first cast to f64 (an
     * i64 sum would wrap). Other aggregates are as they were.
     */
    public static Aggregate typed(Aggregate a, Predicate<String> floats) {
        if (a.rule() == BY_FUNCTION.get("avg") && a.argument() instanceof Column c && floats.test(c.name())) {
            return a.withRule(AVG_OF_FLOATS);
        }
        return a;
    }

    /**
     * Whether, in an ungrouped select of aggregates only, the engine answers no row when the
     * filter matches none (as over an empty table) because of {@code a}: the weighted sums and
     * the co-moments do ({@code (select {w: (wsum w x) s: (sum x) from: t where: (< x 0)})} has
     * no row); the others answer their value over nothing.
     */
    public static boolean noRowWhenNoneMatch(Aggregate a) {
        return a.rule() instanceof WeightedRule || a.rule() instanceof CoMomentRule;
    }

    /** The functions {@link #recognize} knows, for tests and docs. */
    static Set<String> functions() {
        Set<String> all = new java.util.TreeSet<>(BY_FUNCTION.keySet());
        all.addAll(OF_TWO.keySet());
        all.addAll(WITH_PARAMETER.keySet());
        return all;
    }
}
