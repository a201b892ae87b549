package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.concurrent.CompletableFuture;

/** {@code (count t)}: the sum of the shards' row counts. */
public final class CountRows implements Plan {
    private final ShardFanout counts;

    public CountRows(ShardFanout counts) {
        this.counts = counts;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return counts.runValues(ctx, env).thenApply(values -> {
            long n = 0;
            for (RayValue v : values) {
                if (!(v instanceof I64Atom a)) {
                    throw new ClusterQueryError("a shard answered (count ...) with " + v);
                }
                n += a.value();
            }
            return new I64Atom(n);
        });
    }

    @Override
    public String explain() {
        return "CountRows (sum)\n  " + counts.explain();
    }
}
