package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.rayfall.DataPathGate;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The exact fallback: fetches every cluster table the query names (each merged in insertion
 * order), loads them into the router's scratch engine and evaluates the query there, as one
 * server holding all the data would. Used for shapes the planner does not distribute.
 */
public final class ScratchPlan implements Plan {
    private final Map<String, RowMerge> inputs;
    private final RayValue tree;
    private final String reason;

    /** @param reason why the query is not distributed, for explain */
    public ScratchPlan(Map<String, RowMerge> inputs, RayValue tree, String reason) {
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
        });
    }

    @Override
    public String explain() {
        List<String> lines = new ArrayList<>();
        lines.add("ScratchEval (" + reason + "): " + io.rayforce.cluster.client.rayfall.RayfallPrinter.abbreviated(tree, 8));
        inputs.forEach((n, p) -> lines.add("  " + n + " <- " + p.explain().replace("\n", "\n  ")));
        return String.join("\n", lines);
    }
}
