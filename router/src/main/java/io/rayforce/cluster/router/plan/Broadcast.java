package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.QueryContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A join's right side made ready to ship with every shard's request: its rows (with their
 * {@code __seq}, renamed {@link Hidden#RIGHT_SEQ}), refused when larger than the broadcast
 * limit, with a message that says how to make the join run co-located instead.
 */
public final class Broadcast implements Plan {
    /** The largest right side shipped to every shard. */
    public static final long LIMIT_BYTES = 128L * 1024 * 1024;

    private final Plan rows;
    private final String table;

    public Broadcast(Plan rows, String table) {
        this.rows = rows;
        this.table = table;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return rows.run(ctx, env).thenApply(v -> shipped((RayTable) v));
    }

    RayTable shipped(RayTable right) {
        long bytes = ValueWriter.sizeOf(right);
        if (bytes > LIMIT_BYTES) {
            throw new ClusterQueryError("this join would ship " + bytes / (1024 * 1024) + " MB of its right side " + table
                    + " to every shard (limit " + LIMIT_BYTES / (1024 * 1024) + " MB); shard both tables on the join key so it"
                    + " runs co-located, or filter the right side");
        }
        List<String> names = new ArrayList<>(right.columnNames());
        names.set(names.indexOf(Hidden.SEQ), Hidden.RIGHT_SEQ);
        return new RayTable(SymbolVector.of(names), right.columns());
    }

    @Override
    public String describe() {
        return "Broadcast " + table + " (at most " + LIMIT_BYTES / (1024 * 1024) + " MB)";
    }

    @Override
    public List<Plan> inputs() {
        return List.of(rows);
    }
}
