package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Expr;
import java.util.ArrayList;
import java.util.List;

/**
 * One aggregate of a select, as the cluster computes it: the column it answers, the rule that
 * splits it into partial states and finishes it, the per-row expression it aggregates, and what
 * else the call gives (a second per-row expression: {@code x} of {@code (wavg w x)}, {@code y} of
 * {@code (cov x y)}; or a literal parameter: the 90 of {@code (percentile px 90)}).
 */
public record Aggregate(String output, AggregateRule rule, Expr argument, List<Expr> more) {
    public Aggregate {
        more = List.copyOf(more);
    }

    /** A one-argument aggregate: {@code (f argument)}. */
    public Aggregate(String output, AggregateRule rule, Expr argument) {
        this(output, rule, argument, List.of());
    }

    /** Every argument of the call, in order. */
    public List<Expr> arguments() {
        List<Expr> all = new ArrayList<>(more.size() + 1);
        all.add(argument);
        all.addAll(more);
        return all;
    }

    /** The same aggregate finished by {@code other}. */
    public Aggregate withRule(AggregateRule other) {
        return new Aggregate(output, other, argument, more);
    }

    @Override
    public String toString() {
        return output + "=" + rule.name();
    }
}
