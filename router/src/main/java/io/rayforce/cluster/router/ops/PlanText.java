package io.rayforce.cluster.router.ops;

import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.plan.Plan;

/** A plan that ran, as text: its operator tree with what each step brought to the router. */
public final class PlanText {
    private PlanText() {
    }

    /** {@code plan}'s tree, each step that brought shard answers or sent rows to the nodes followed by its rows and bytes. */
    public static String ran(Plan plan, QueryContext ctx) {
        return plan.explain(step -> moved(ctx, step));
    }

    /** What {@code step} of a plan that ran brought to the router and sent to the nodes, for its line; empty when nothing. */
    public static String moved(QueryContext ctx, Plan step) {
        long[] m = ctx.moved(step);
        long[] s = ctx.sent(step);
        return (m == null ? "" : "  [moved " + m[0] + " rows, " + m[1] + " bytes]")
                + (s == null ? "" : "  [sent " + s[0] + " rows, " + s[1] + " bytes to the nodes]");
    }
}
