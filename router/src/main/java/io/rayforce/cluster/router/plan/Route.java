package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.exec.ReplicaChoice;
import io.rayforce.cluster.router.exec.UnitId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The leaf of every distributed plan (vtgate's Route): one request per shard, each a unit
 * (table, shard, epoch) sent to one replica at the query's epoch. Its value is the list of the
 * shards' answers in shard order; a shard that is missing (when partial results are allowed)
 * has none, so the list may be shorter, even empty.
 */
public final class Route implements Plan {
    /** Builds the request of one unit. */
    @FunctionalInterface
    public interface UnitRequest {
        RayValue of(UnitId unit);
    }

    private final String table;
    private final int[] shards;
    private final UnitRequest request;
    private final String description;
    private final ReplicaChoice choice;
    private final boolean answerRows;

    /**
     * @param description the request as text with {@code <shard>} for the shard's global, for explain
     */
    public Route(String table, int[] shards, UnitRequest request, String description) {
        this(table, shards, request, description, ReplicaChoice.ANY, false);
    }

    private Route(String table, int[] shards, UnitRequest request, String description, ReplicaChoice choice, boolean answerRows) {
        this.table = table;
        this.shards = shards.clone();
        this.request = request;
        this.description = description;
        this.choice = choice;
        this.answerRows = answerRows;
    }

    /** This route, run only on the replicas {@code choice} allows (co-located joins). */
    public Route on(ReplicaChoice choice) {
        return new Route(table, shards, request, description, choice, answerRows);
    }

    /**
     * This route whose answers are the query's answer rows (a plain select without a take): each
     * is counted against the query's result limits as it arrives, so a too-large answer stops early.
     */
    public Route answering() {
        return new Route(table, shards, request, description, choice, true);
    }

    public String table() {
        return table;
    }

    /** The shards it asks, in order. */
    public int[] shards() {
        return shards.clone();
    }

    /** The request it sends for {@code unit} (for explain's estimates). */
    public RayValue request(UnitId unit) {
        return request.of(unit);
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        List<UnitId> units = new ArrayList<>(shards.length);
        for (int s : shards) {
            units.add(new UnitId(table, s, ctx.epoch()));
        }
        String step = describe();
        return env.executor().runAll(ctx, units, request::of, choice, v -> {
            ctx.admitToRouter(this, step, v);
            if (answerRows) {
                ctx.admitShardAnswer(v);
            }
        }).thenApply(r -> RayList.of(r.values()));
    }

    /** The shards' answers in {@code value} (what a route gives), each of which must be a table. */
    public static List<RayTable> tables(RayValue value, String what) {
        RayList answers = (RayList) value;
        List<RayTable> out = new ArrayList<>(answers.length());
        for (int i = 0; i < answers.length(); i++) {
            if (!(answers.get(i) instanceof RayTable t)) {
                throw new ClusterQueryError("a shard answered " + what + " with a " + answers.get(i).type().rayfallName()
                        + " where a table was expected");
            }
            out.add(t);
        }
        return out;
    }

    @Override
    public String describe() {
        return "Route " + table + " shards " + ranges() + ": " + description;
    }

    @Override
    public List<Plan> inputs() {
        return List.of();
    }

    private String ranges() {
        return ranges(shards);
    }

    /** Shard numbers as ranges: {@code 0-3,5}; {@code none} for none. */
    static String ranges(int[] shards) {
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
