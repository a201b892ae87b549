package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One column of a table as a vector ({@code (at t 'c)} of a merged table). */
public final class ColumnOf implements Plan {
    private final Plan input;
    private final String column;

    public ColumnOf(Plan input, String column) {
        this.input = input;
        this.column = column;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return input.run(ctx, env).thenApply(v -> ((RayTable) v).column(column));
    }

    @Override
    public String describe() {
        return "ColumnOf " + column;
    }

    @Override
    public List<Plan> inputs() {
        return List.of(input);
    }
}
