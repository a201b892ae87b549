package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A route whose requests carry a value computed first at the router (a broadcast join's right
 * side): runs {@code shipped}, then the route made with its value.
 */
public final class ShippedRoute implements Plan {
    private final Plan shipped;
    private final Function<RayValue, Route> route;
    private final String description;

    /** @param description the route's request as text, with {@code <shipped>} for the value */
    public ShippedRoute(Plan shipped, Function<RayValue, Route> route, String description) {
        this.shipped = shipped;
        this.route = route;
        this.description = description;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return shipped.run(ctx, env).thenCompose(v -> {
            Route r = route.apply(v);
            if (shipped instanceof Broadcast) {
                // the value goes with every shard's request
                long bytes = ValueWriter.sizeOf(v);
                int n = r.shards().length;
                ctx.sentFromRouter(this, (long) ((RayTable) v).rowCount() * n, bytes * n);
            }
            return r.run(ctx, env);
        });
    }

    /** What is computed first and shipped. */
    public Plan shipped() {
        return shipped;
    }

    /** The route made with the shipped value {@code v} (for explain's estimates: any value of its shape). */
    public Route route(RayValue v) {
        return route.apply(v);
    }

    @Override
    public String describe() {
        return "ShippedRoute: " + description;
    }

    @Override
    public List<Plan> inputs() {
        return List.of(shipped);
    }
}
