package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An ungrouped aggregate over a computed table, as one server answers it: one row when the table
 * it aggregates has any row, none when it has none. The aggregate runs over the stored table with
 * both filters; {@code rows} counts the rows of the computed table alone.
 */
public final class EmptyUnless implements Plan {
    private final Plan rows;
    private final Plan aggregate;

    public EmptyUnless(Plan rows, Plan aggregate) {
        this.rows = rows;
        this.aggregate = aggregate;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        CompletableFuture<RayValue> n = rows.run(ctx, env);
        CompletableFuture<RayValue> a = aggregate.run(ctx, env);
        return n.thenCombine(a, (count, table) -> ((I64Atom) count).value() > 0 ? table : ((RayTable) table).slice(0, 0));
    }

    @Override
    public String describe() {
        return "EmptyUnless the aggregated rows exist";
    }

    @Override
    public List<Plan> inputs() {
        return List.of(rows, aggregate);
    }
}
