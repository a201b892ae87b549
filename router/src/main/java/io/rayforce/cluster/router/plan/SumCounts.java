package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code (count t)}: the sum of the shards' row counts (0 when no shard answered). */
public final class SumCounts implements Plan {
    private final Plan counts;

    public SumCounts(Plan counts) {
        this.counts = counts;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return counts.run(ctx, env).thenApply(v -> sum((RayList) v));
    }

    static I64Atom sum(RayList counts) {
        long n = 0;
        for (int i = 0; i < counts.length(); i++) {
            if (!(counts.get(i) instanceof I64Atom a)) {
                throw new ClusterQueryError("a shard answered (count ...) with " + counts.get(i));
            }
            n += a.value();
        }
        return new I64Atom(n);
    }

    @Override
    public String describe() {
        return "SumCounts";
    }

    @Override
    public List<Plan> inputs() {
        return List.of(counts);
    }
}
