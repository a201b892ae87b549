package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.merge.KWayMerge;
import io.rayforce.cluster.router.merge.RowOrder;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Sorts a table at the router by sort keys, stably: ties keep their order (vtgate's MemorySort; the engine's sorts are stable). */
public final class Sort implements Plan {
    private final Plan input;
    private final List<RowOrder.Key> keys;

    public Sort(Plan input, List<RowOrder.Key> keys) {
        this.input = input;
        this.keys = List.copyOf(keys);
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return input.run(ctx, env).thenApply(v -> apply((RayTable) v));
    }

    RayTable apply(RayTable t) {
        if (keys.isEmpty() || t.rowCount() < 2) {
            return t;
        }
        KWayMerge.RowComparator cmp = RowOrder.of(t, keys, null);
        Integer[] rows = new Integer[t.rowCount()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        Arrays.sort(rows, cmp::compare); // stable
        return t.gather(Arrays.stream(rows).mapToInt(Integer::intValue).toArray());
    }

    @Override
    public String describe() {
        return "Sort by " + keys + " (stable)";
    }

    @Override
    public List<Plan> inputs() {
        return List.of(input);
    }
}
