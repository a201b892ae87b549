package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Expr;

/**
 * One aggregate of a select, as the cluster computes it: the column it answers, the rule that
 * splits it into partial states and finishes it, and the per-row expression it aggregates.
 */
public record Aggregate(String output, AggregateRule rule, Expr argument) {
    @Override
    public String toString() {
        return output + "=" + rule.name();
    }
}
