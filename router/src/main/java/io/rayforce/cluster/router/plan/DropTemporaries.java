package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs its input, then removes every temporary the {@link Repartition}s under it may have made,
 * on every node they were to be made on, whatever became of the input: its answer, an error, a
 * cancel or a timeout. It answers only once the removals are done (a removal that fails is
 * logged; the temporaries' journal entries are never replayed, so an engine restart clears them
 * too). The input's value or failure is its own.
 */
public final class DropTemporaries implements Plan {
    private static final Logger log = LoggerFactory.getLogger(DropTemporaries.class);
    /** How long a removal may take, also after the query's own deadline. */
    static final long DROP_TIMEOUT_MILLIS = 10_000;

    private final Plan input;
    private final List<Repartition> made;

    public DropTemporaries(Plan input, List<Repartition> made) {
        this.input = input;
        this.made = List.copyOf(made);
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        CompletableFuture<RayValue> in;
        try {
            in = input.run(ctx, env);
        } catch (RuntimeException e) {
            in = CompletableFuture.failedFuture(e);
        }
        return in.handle((v, e) -> drop(ctx, env).handle((x, de) -> {
            if (e != null) {
                throw e instanceof CompletionException c ? c : new CompletionException(e);
            }
            return v;
        })).thenCompose(f -> f);
    }

    private CompletableFuture<Void> drop(QueryContext ctx, PlanEnv env) {
        Map<NodeInfo, List<String>> byNode = new LinkedHashMap<>();
        for (Repartition r : made) {
            r.temporaries(ctx).forEach((n, names) -> byNode.computeIfAbsent(n, k -> new ArrayList<>()).addAll(names));
        }
        List<CompletableFuture<String>> drops = new ArrayList<>();
        byNode.forEach((n, names) -> drops.add(env.executor().dropTemporaries(n, names, DROP_TIMEOUT_MILLIS)
                .whenComplete((failure, e) -> {
                    if (failure != null || e != null) {
                        log.warn("query {}: could not remove its temporaries {} from node {}: {}", ctx.id(), names, n.getId(),
                                failure != null ? failure : e.toString());
                    }
                })));
        return CompletableFuture.allOf(drops.toArray(new CompletableFuture<?>[0])).exceptionally(x -> null);
    }

    @Override
    public String describe() {
        return "DropTemporaries of " + made.size() + " repartition" + (made.size() == 1 ? "" : "s")
                + " (on every node, also when the query fails)";
    }

    @Override
    public List<Plan> inputs() {
        return List.of(input);
    }
}
