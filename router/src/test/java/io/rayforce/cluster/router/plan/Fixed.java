package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A hand-built input for an operator's run path: a plan whose value is fixed, counting its runs. */
record Fixed(RayValue value, AtomicInteger runs) implements Plan {
    Fixed(RayValue value) {
        this(value, new AtomicInteger());
    }

    /** What a route gives: the shards' answers as a list. */
    static Fixed answers(RayTable... tables) {
        return new Fixed(RayList.of(tables));
    }

    /** Runs {@code plan} over hand-built inputs (no shards, no scratch engine). */
    static RayValue run(Plan plan) {
        return plan.run(new QueryContext(ClusterSnapshot.empty(), null, false), null).join();
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        runs.incrementAndGet();
        return CompletableFuture.completedFuture(value);
    }

    @Override
    public String describe() {
        return "Fixed";
    }

    @Override
    public List<Plan> inputs() {
        return List.of();
    }
}
