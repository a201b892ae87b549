package io.rayforce.cluster.router.planner;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.rayfall.Builtins;

/**
 * Which expressions compute a value per row, from that row alone, so that each shard can compute
 * them on its own rows and the concatenation of the shards' values in insertion order is the
 * value one server computes: columns, literals, and calls of builtins whose placement is
 * {@link Builtins.Placement#ROWWISE} (the table beside the data-path allowlist) with row-wise
 * arguments.
 */
public final class RowWise {
    private RowWise() {
    }

    /** True when {@code e} computes a value per row, so it can run on a shard. */
    public static boolean is(Expr e) {
        if (e instanceof Column || e instanceof Literal) {
            return true;
        }
        Call c = (Call) e;
        return Builtins.placement(c.function()) == Builtins.Placement.ROWWISE && c.args().stream().allMatch(RowWise::is);
    }
}
