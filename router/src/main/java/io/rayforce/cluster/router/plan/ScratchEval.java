package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.rayfall.DataPathGate;
import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Evaluates a tree on the router's scratch engine, exactly as one server would, with the tables
 * its inputs produce bound to the names the tree uses (each cluster table fetched whole, in
 * insertion order). The exact fallback for shapes the planner does not distribute.
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
            Map<String, RayTable> tables = new LinkedHashMap<>();
            fetches.forEach((name, f) -> tables.put(name, (RayTable) f.join()));
            return env.scratch().evaluate(ctx, tables, tree);
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
    public String explain() {
        List<String> lines = new ArrayList<>();
        lines.add(describe());
        inputs.forEach((n, p) -> lines.add("  " + n + " <- " + p.explain().replace("\n", "\n  ")));
        return String.join("\n", lines);
    }
}
