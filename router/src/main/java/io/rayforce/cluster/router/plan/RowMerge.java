package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.merge.Parts;
import io.rayforce.cluster.router.merge.TakeSpec;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Merges row-wise shard results into the order one server would give: by the sort keys and
 * then the row sequence (insertion order), or by the sequence alone; then applies the take and
 * keeps the output columns. Each shard result is already filtered, projected, sorted and cut to
 * the rows the take can need.
 */
public final class RowMerge implements Plan {
    private final ShardFanout fanout;
    private final List<SortKey> keys;
    private final TakeSpec take;
    private final List<String> output;
    private final RayTable empty;

    /**
     * @param empty the result's shape with no rows, for when no shard answered (partial results)
     */
    public RowMerge(ShardFanout fanout, List<SortKey> keys, TakeSpec take, List<String> output, RayTable empty) {
        this.fanout = fanout;
        this.keys = List.copyOf(keys);
        this.take = take;
        this.output = List.copyOf(output);
        this.empty = empty;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        // without a take the answer is every row the shards send: count them as they arrive
        boolean answerRows = take == null || take.headNeeded() < 0;
        return fanout.run(ctx, env, answerRows).thenApply(this::merge);
    }

    RayTable merge(List<RayTable> tables) {
        if (tables.isEmpty()) {
            return empty;
        }
        Parts parts = new Parts(tables);
        int limit = take == null || take.headNeeded() < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, take.headNeeded());
        int[] order = Tables.merge(parts, keys, limit);
        if (take != null) {
            int total = limit < 0 ? order.length : parts.totalRows();
            int[] r = take.range(total);
            order = Arrays.copyOfRange(order, Math.min(r[0], order.length), Math.min(r[1], order.length));
        }
        return Tables.project(parts.all().gather(order), output);
    }

    @Override
    public String explain() {
        return "RowMerge by " + (keys.isEmpty() ? "" : keys + " then ") + "__seq"
                + (take == null ? "" : ", take " + (take.start() == null ? "" : "[" + take.start() + " ") + take.count()
                + (take.start() == null ? "" : "]")) + ", columns " + output + "\n  " + fanout.explain();
    }
}
