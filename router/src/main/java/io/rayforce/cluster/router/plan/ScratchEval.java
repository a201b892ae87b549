package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.rayfall.DataPathGate;
import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Evaluates a tree on the router's scratch engine, exactly as one server would, with the values
 * its inputs produce bound to the names the tree uses: what is left to compute at the router
 * over results merged from the shards (an expression over aggregates), or, as the exact fallback
 * for what is not distributed, over the tables and vectors the query names, merged in insertion
 * order.
 */
public final class ScratchEval implements Plan {
    private final Map<String, Plan> inputs;
    private final RayValue tree;
    private final String reason;

    /** @param reason why the query is not distributed, for explain */
    public ScratchEval(Map<String, Plan> inputs, RayValue tree, String reason) {
        DataPathGate.checkExpression(tree);
        this.inputs = new LinkedHashMap<>(inputs);
        this.tree = tree;
        this.reason = reason;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        Map<String, CompletableFuture<RayValue>> fetches = new LinkedHashMap<>();
        inputs.forEach((name, plan) -> fetches.put(name, plan.run(ctx, env)));
        return CompletableFuture.allOf(fetches.values().toArray(new CompletableFuture<?>[0])).thenApplyAsync(x -> {
            Map<String, RayValue> values = new LinkedHashMap<>();
            fetches.forEach((name, f) -> values.put(name, f.join()));
            return env.scratch().evaluate(ctx, values, tree);
        }, env.blocking());
    }

    @Override
    public String describe() {
        return "ScratchEval (" + reason + "): " + RayfallPrinter.abbreviated(tree, 8);
    }

    @Override
    public List<Plan> inputs() {
        return new ArrayList<>(inputs.values());
    }

    @Override
    public String explain(Function<Plan, String> note) {
        List<String> lines = new ArrayList<>();
        lines.add(describe() + note.apply(this));
        inputs.forEach((n, p) -> lines.add("  " + n + " <- " + p.explain(note).replace("\n", "\n  ")));
        return String.join("\n", lines);
    }
}
