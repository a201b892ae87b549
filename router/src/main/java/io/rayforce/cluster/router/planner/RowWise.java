package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.router.plan.aggregate.AggregateRules;
import java.util.Set;

/**
 * Which expressions compute a value per row, from that row alone, so that each shard can
 * compute them on its own rows: columns, literals, and calls of functions that are neither
 * aggregates nor look at other rows.
 */
public final class RowWise {
    /** Functions that look at more than one row (aggregates the router cannot split, running values, reshaping). */
    private static final Set<String> NOT_ROW_WISE = Set.of("distinct", "wavg", "wsum", "mode",
            "prod", "percentile", "quantile", "cov", "scov", "pearson_corr", "all", "any", "top", "bot", "sums",
            "avgs", "deltas", "mavg", "msum", "mcount", "mmin", "mmax", "til", "take", "at", "first", "last", "count",
            "enlist", "list", "raze", "ungroup", "xasc", "xdesc", "reverse", "rank", "iasc", "idesc", "group",
            "select", "update", "exec", "fills", "prev", "next", "ratios", "differ", "med", "dev", "var", "stddev");

    private RowWise() {
    }

    /** True when {@code e} computes a value per row (no aggregate inside), so it can run on a shard. */
    public static boolean is(Expr e) {
        if (e instanceof Column || e instanceof Literal) {
            return true;
        }
        Call c = (Call) e;
        if (AggregateRules.isAggregate(c.function()) || NOT_ROW_WISE.contains(c.function())) {
            return false;
        }
        return c.args().stream().allMatch(RowWise::is);
    }
}
