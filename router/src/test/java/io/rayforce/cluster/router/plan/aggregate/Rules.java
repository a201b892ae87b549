package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.Vector;

/** Shorthands for the rule tests: an aggregate over column {@code x}, and partial tables. */
final class Rules {
    private Rules() {
    }

    /** {@code output: (rule x)}. */
    static Aggregate over(String output, AggregateRule rule) {
        return new Aggregate(output, rule, Column.of("x"));
    }

    /** The shard projections a rule asks for, as text. */
    static String partials(AggregateRule rule, String output, boolean grouped) {
        return rule.partials(over(output, rule), grouped).toString();
    }

    /** A partial table from alternating names and columns. */
    static RayTable table(Object... namesAndColumns) {
        RayTable.Builder b = RayTable.builder();
        for (int i = 0; i < namesAndColumns.length; i += 2) {
            b.column((String) namesAndColumns[i], (Vector) namesAndColumns[i + 1]);
        }
        return b.build();
    }

    /** Groups of partial rows. */
    static int[][] groups(int[]... rows) {
        return rows;
    }
}
