package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.exec.ReplicaChoice;
import io.rayforce.cluster.router.exec.UnitId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The leaf of every distributed plan: the same request, made for each shard's global, sent to
 * one replica of each shard at the query's epoch. Yields the shards' tables in shard order
 * (shards that are missing, when partial results are allowed, yield nothing).
 */
public final class ShardFanout {
    private final String table;
    private final int[] shards;
    private final Function<String, RayValue> request;
    private final String description;
    private final ReplicaChoice choice;

    /**
     * @param request builds the request for a shard from the shard's global name
     * @param description the request as text with {@code <shard>} for the global, for explain
     */
    public ShardFanout(String table, int[] shards, Function<String, RayValue> request, String description) {
        this(table, shards, request, description, ReplicaChoice.ANY);
    }

    /** A fan-out whose units run only on the replicas {@code choice} allows (co-located joins). */
    public ShardFanout(String table, int[] shards, Function<String, RayValue> request, String description,
                       ReplicaChoice choice) {
        this.table = table;
        this.shards = shards.clone();
        this.request = request;
        this.description = description;
        this.choice = choice;
    }

    public String table() {
        return table;
    }

    public int[] shards() {
        return shards.clone();
    }

    public CompletableFuture<List<RayTable>> run(QueryContext ctx, PlanEnv env) {
        return run(ctx, env, false);
    }

    /**
     * The shards' tables; with {@code answerRows} (the plan's answer is these rows) each is
     * counted against the query's result limits as it arrives.
     */
    public CompletableFuture<List<RayTable>> run(QueryContext ctx, PlanEnv env, boolean answerRows) {
        return runValues(ctx, env, answerRows).thenApply(values -> {
            List<RayTable> out = new ArrayList<>(values.size());
            for (RayValue v : values) {
                if (!(v instanceof RayTable t)) {
                    throw new ClusterQueryError("a shard of " + table + " answered a " + v.type().rayfallName()
                            + " where a table was expected");
                }
                out.add(t);
            }
            return out;
        });
    }

    /** The shards' answers as they are, in shard order. */
    public CompletableFuture<List<RayValue>> runValues(QueryContext ctx, PlanEnv env) {
        return runValues(ctx, env, false);
    }

    private CompletableFuture<List<RayValue>> runValues(QueryContext ctx, PlanEnv env, boolean answerRows) {
        List<UnitId> units = new ArrayList<>(shards.length);
        for (int s : shards) {
            units.add(new UnitId(table, s, ctx.epoch()));
        }
        return env.executor().runAll(ctx, units, u -> request.apply(ClusterNaming.shardGlobal(table, u.shard())), choice,
                answerRows).thenApply(r -> r.values());
    }

    public String explain() {
        return "ShardFanout " + table + " shards " + ranges() + ": " + description;
    }

    private String ranges() {
        if (shards.length == 0) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < shards.length) {
            int j = i;
            while (j + 1 < shards.length && shards[j + 1] == shards[j] + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(shards[i]);
            if (j > i) {
                sb.append('-').append(shards[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
