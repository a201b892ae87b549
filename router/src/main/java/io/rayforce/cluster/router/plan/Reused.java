package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A step whose value depends on one table's data only, computed once per version of that table
 * ({@link ReadCache}): the next query that reads the same version reuses it and sends nothing to
 * the shards. The step's plan text names what it computes.
 */
public final class Reused implements Plan {
    private final Plan step;
    private final String table;
    private final String key;

    /** @param createdEpoch the table's creation epoch (a table made again under the same name is another table) */
    public Reused(Plan step, String table, long createdEpoch) {
        this(step, table, createdEpoch, step.explain(p -> ""));
    }

    /** @param what text naming exactly what {@code step} computes from the table (the plan text when it does not) */
    public Reused(Plan step, String table, long createdEpoch, String what) {
        this.step = step;
        this.table = table;
        this.key = createdEpoch + "\n" + what;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return env.cache().get(ctx, table, key, () -> step.run(ctx, env));
    }

    @Override
    public String describe() {
        return "Reused while " + table + " is unchanged";
    }

    @Override
    public List<Plan> inputs() {
        return List.of(step);
    }
}
