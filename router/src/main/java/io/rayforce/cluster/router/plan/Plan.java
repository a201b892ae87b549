package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.concurrent.CompletableFuture;

/**
 * A distributed plan: a tree of small operators, each with one merge rule (Vitess's engine
 * primitives are the model). {@link #explain()} prints the tree.
 */
public interface Plan {
    CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env);

    /** The operator tree, one operator per line, children indented. */
    String explain();
}
