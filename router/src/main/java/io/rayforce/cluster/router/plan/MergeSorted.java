package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.merge.KWayMerge;
import io.rayforce.cluster.router.merge.Parts;
import io.rayforce.cluster.router.merge.RowOrder;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Merges the shards' row-wise answers, each already sorted, into the order one server gives
 * (vtgate's MergeSort): by the sort keys, then by {@code __seq} (insertion order); at most the
 * first {@code limit} rows when a take needs no more. No answers: the {@code empty} table.
 */
public final class MergeSorted implements Plan {
    private final Plan input;
    private final List<RowOrder.Key> keys;
    private final long limit;
    private final RayTable empty;

    /**
     * @param limit rows to keep at most, or -1 for all
     * @param empty the shards' answer shape with no rows
     */
    public MergeSorted(Plan input, List<RowOrder.Key> keys, long limit, RayTable empty) {
        this.input = input;
        this.keys = List.copyOf(keys);
        this.limit = limit;
        this.empty = empty;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return input.run(ctx, env).thenApply(v -> merge(Route.tables(v, "a row select")));
    }

    RayTable merge(List<RayTable> tables) {
        if (tables.isEmpty()) {
            return empty;
        }
        if (tables.size() == 1 && keys.isEmpty() && limit < 0) {
            return tables.get(0);
        }
        Parts parts = new Parts(tables);
        int max = limit < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, limit);
        int[] order = KWayMerge.merge(parts, RowOrder.of(parts.all(), keys, Hidden.SEQ), max);
        return parts.all().gather(order);
    }

    @Override
    public String describe() {
        return "MergeSorted by " + (keys.isEmpty() ? "" : keys + " then ") + Hidden.SEQ + (limit < 0 ? "" : ", first " + limit);
    }

    @Override
    public List<Plan> inputs() {
        return List.of(input);
    }
}
