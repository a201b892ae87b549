package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.plan.aggregate.Aggregate;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An aggregate of a vector ({@code (sum (at t 'qty))}) from the one-row table its combined
 * partials make: the value in that row, or, when no shard had a row, the aggregate over no
 * values as the engine gives it ({@code sum} 0, {@code avg} null, ...: the rule's).
 */
public final class Cell implements Plan {
    private final Plan input;
    private final Aggregate aggregate;

    public Cell(Plan input, Aggregate aggregate) {
        this.input = input;
        this.aggregate = aggregate;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return input.run(ctx, env).thenApply(v -> value((RayTable) v));
    }

    RayValue value(RayTable t) {
        Vector col = t.column(aggregate.output());
        return t.rowCount() > 0 ? col.at(0) : aggregate.rule().overNothing(aggregate, col);
    }

    @Override
    public String describe() {
        return "Cell " + aggregate.output();
    }

    @Override
    public List<Plan> inputs() {
        return List.of(input);
    }
}
