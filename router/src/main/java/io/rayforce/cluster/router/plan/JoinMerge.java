package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.merge.Parts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A join run shard by shard of its left side: each shard joins its left rows (carrying their
 * row sequence as {@code __lseq}) with the right rows they can match — the same shard of a
 * co-partitioned right table, the local copy of a replicated one, or the whole right side
 * shipped with the request (broadcast). The router orders the joined rows as one server would:
 * by left row; several matches of one left row in reverse insertion order of the right side
 * ({@code __rseq} descending: the engine's order for small inputs, fixed here for all); a full
 * join's unmatched right rows last, in right order. The hidden columns are then dropped.
 */
public final class JoinMerge implements Plan {
    /** The left row sequence in shard results. */
    public static final String LEFT_SEQ = "__lseq";
    /** The right row sequence in shard results. */
    public static final String RIGHT_SEQ = "__rseq";
    /** The largest right side shipped to every shard. */
    static final long BROADCAST_LIMIT_BYTES = 128L * 1024 * 1024;

    private final String kind;
    private final RowMerge broadcastRight;
    private final Function<RayTable, ShardFanout> fanout;
    private final String description;

    /**
     * @param broadcastRight the right side fetched whole (with {@code __seq}) when it is shipped to
     *     the shards, or null when the shards find their right rows themselves
     * @param fanout the per-shard joins, given the shipped right side (null when none)
     */
    public JoinMerge(String kind, RowMerge broadcastRight, Function<RayTable, ShardFanout> fanout, String description) {
        this.kind = kind;
        this.broadcastRight = broadcastRight;
        this.fanout = fanout;
        this.description = description;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        CompletableFuture<RayTable> right = broadcastRight == null ? CompletableFuture.completedFuture(null)
                : broadcastRight.run(ctx, env).thenApply(v -> shipped((RayTable) v));
        return right.thenCompose(r -> fanout.apply(r).run(ctx, env)).thenApply(this::merge);
    }

    /** The fetched right side with its sequence renamed, checked against the broadcast limit. */
    private RayTable shipped(RayTable right) {
        long bytes = ValueWriter.sizeOf(right);
        if (bytes > BROADCAST_LIMIT_BYTES) {
            throw new ClusterQueryError("this join would ship " + bytes / (1024 * 1024) + " MB of its right side to every shard "
                    + "(limit " + BROADCAST_LIMIT_BYTES / (1024 * 1024) + " MB); shard both tables on the join key so it runs "
                    + "co-located, or filter the right side");
        }
        List<String> names = new ArrayList<>(right.columnNames());
        names.set(names.indexOf("__seq"), RIGHT_SEQ);
        return new RayTable(SymbolVector.of(names), right.columns());
    }

    RayTable merge(List<RayTable> tables) {
        if (tables.isEmpty()) {
            throw new ClusterQueryError("no shard of the join's left side answered");
        }
        Parts parts = new Parts(tables);
        RayTable all = parts.all();
        I64Vector lseq = (I64Vector) all.column(LEFT_SEQ);
        I64Vector rseq = all.hasColumn(RIGHT_SEQ) ? (I64Vector) all.column(RIGHT_SEQ) : null;
        Integer[] rows = new Integer[all.rowCount()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        Arrays.sort(rows, (a, b) -> {
            boolean la = lseq.isNull(a);
            boolean lb = lseq.isNull(b);
            if (la != lb) {
                return la ? 1 : -1; // a full join's right-only rows come last
            }
            if (la) {
                return Long.compare(rseq.get(a), rseq.get(b));
            }
            int c = Long.compare(lseq.get(a), lseq.get(b));
            if (c != 0 || rseq == null) {
                return c;
            }
            return Long.compare(rseq.get(b), rseq.get(a)); // several matches: reverse right order
        });
        RayTable ordered = all.gather(Arrays.stream(rows).mapToInt(Integer::intValue).toArray());
        List<String> names = new ArrayList<>();
        List<Vector> cols = new ArrayList<>();
        for (int c = 0; c < ordered.columnCount(); c++) {
            String n = ordered.columnNames().get(c);
            if (!n.startsWith("__")) {
                names.add(n);
                cols.add(ordered.column(c));
            }
        }
        return new RayTable(SymbolVector.of(names), cols);
    }

    @Override
    public String explain() {
        return "JoinMerge " + kind + " by left row, matches in reverse right order: " + description
                + (broadcastRight == null ? "" : "\n  right side shipped to every shard <- "
                + broadcastRight.explain().replace("\n", "\n  "));
    }
}
