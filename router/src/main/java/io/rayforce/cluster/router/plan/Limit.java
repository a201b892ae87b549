package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.merge.TakeSpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A select's {@code take:} applied to a table, as the engine applies it (vtgate's Limit): a head, a tail or a range. */
public final class Limit implements Plan {
    private final Plan input;
    private final TakeSpec take;

    public Limit(Plan input, TakeSpec take) {
        this.input = input;
        this.take = take;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return input.run(ctx, env).thenApply(v -> apply((RayTable) v));
    }

    RayTable apply(RayTable t) {
        int[] r = take.range(t.rowCount());
        return r[0] == 0 && r[1] == t.rowCount() ? t : t.slice(r[0], r[1]);
    }

    @Override
    public String describe() {
        return "Limit take " + (take.start() == null ? String.valueOf(take.count()) : "[" + take.start() + " " + take.count() + "]");
    }

    @Override
    public List<Plan> inputs() {
        return List.of(input);
    }
}
