package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A distributed plan: a tree of small operators, each with one rule (Vitess's engine primitives
 * are the model: {@link Route} at the leaves, merges, sorts, takes and finishers above).
 * {@link #explain()} prints the tree.
 */
public interface Plan {
    CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env);

    /** This operator and what it does, on one line. */
    String describe();

    /** The operators whose values this one takes. */
    List<Plan> inputs();

    /** The operator tree, one operator per line, inputs indented under the operator that takes them. */
    default String explain() {
        return explain(p -> "");
    }

    /** As {@link #explain()}, each operator's line followed by what {@code note} says of it (what it moved, say). */
    default String explain(Function<Plan, String> note) {
        StringBuilder sb = new StringBuilder(describe()).append(note.apply(this));
        for (Plan p : inputs()) {
            sb.append("\n  ").append(p.explain(note).replace("\n", "\n  "));
        }
        return sb.toString();
    }
}
