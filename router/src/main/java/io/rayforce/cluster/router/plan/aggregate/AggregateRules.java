package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.value.Vector;
import java.util.List;
import java.util.Map;

/** The aggregates the cluster splits over shards, by the engine function they stand for: the one place that decides. */
public final class AggregateRules {
    private static final Map<String, AggregateRule> BY_FUNCTION = Map.ofEntries(
            Map.entry("sum", new SumRule("sum")),
            Map.entry("count", new SumRule("count")),
            Map.entry("min", new ExtremeRule(true)),
            Map.entry("max", new ExtremeRule(false)),
            Map.entry("avg", new AvgRule()),
            Map.entry("first", new EdgeRule(true)),
            Map.entry("last", new EdgeRule(false)),
            Map.entry("med", new MedianRule()),
            Map.entry("var", new VarianceRule(VarianceRule.Form.VAR)),
            Map.entry("var_pop", new VarianceRule(VarianceRule.Form.VAR_POP)),
            Map.entry("dev", new VarianceRule(VarianceRule.Form.DEV)),
            Map.entry("dev_pop", new VarianceRule(VarianceRule.Form.DEV)),
            Map.entry("stddev_pop", new VarianceRule(VarianceRule.Form.DEV)),
            Map.entry("stddev", new VarianceRule(VarianceRule.Form.STDDEV)));
    private static final AggregateRule DISTINCT_COUNT = new DistinctCountRule(false);
    private static final AggregateRule DISTINCT_VALUES = new DistinctCountRule(true);

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

    /** Whether {@code function} aggregates (so an expression calling it is not row-wise). */
    public static boolean isAggregate(String function) {
        return BY_FUNCTION.containsKey(function);
    }

    /**
     * The aggregate {@code e} computes, as {@code output}, when it is {@code (f x)} with a rule for
     * f, or {@code (count (distinct x))}; null otherwise. The argument is not checked here.
     */
    public static Aggregate recognize(String output, Expr e) {
        if (!(e instanceof Call c) || c.args().size() != 1) {
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
}
