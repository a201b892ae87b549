package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A value the planner already knows (a table's empty shape, a literal). */
public final class Constant implements Plan {
    private final RayValue value;

    public Constant(RayValue value) {
        this.value = value;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return CompletableFuture.completedFuture(value);
    }

    @Override
    public String describe() {
        return "Constant " + RayfallPrinter.abbreviated(value, 4);
    }

    @Override
    public List<Plan> inputs() {
        return List.of();
    }
}
