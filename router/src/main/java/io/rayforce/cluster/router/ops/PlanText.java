package io.rayforce.cluster.router.ops;

import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.plan.Plan;

/** A plan that ran, as text: its operator tree with what each step brought to the router. */
public final class PlanText {
    private PlanText() {
    }

    /** {@code plan}'s tree, each step that brought shard answers followed by its rows and bytes. */
    public static String ran(Plan plan, QueryContext ctx) {
        return plan.explain(step -> {
            long[] m = ctx.moved(step);
            return m == null ? "" : "  [moved " + m[0] + " rows, " + m[1] + " bytes]";
        });
    }
}
