package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An operator that merges the tables a {@link Route} brings back into one. Every merge handles
 * no answers the same way (all shards missing, with partial results allowed): it answers the
 * {@code empty} shape the planner gave it.
 */
abstract class ShardMerge implements Plan {
    private final Plan input;
    private final String what;
    private final RayTable empty;

    /**
     * @param what what the shards answer, for an error when one answers something else
     * @param empty the answer when no shard answered
     */
    ShardMerge(Plan input, String what, RayTable empty) {
        this.input = input;
        this.what = what;
        this.empty = empty;
    }

    @Override
    public final CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return input.run(ctx, env).thenApply(v -> {
            List<RayTable> tables = Route.tables(v, what);
            return tables.isEmpty() ? empty : merge(tables);
        });
    }

    /** Merges one or more shard answers. */
    abstract RayTable merge(List<RayTable> tables);

    @Override
    public final List<Plan> inputs() {
        return List.of(input);
    }
}
