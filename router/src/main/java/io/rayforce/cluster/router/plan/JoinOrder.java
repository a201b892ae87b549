package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.merge.Parts;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Orders the rows of a join run shard by shard of its left side as one server would: by left row
 * ({@link Hidden#LEFT_SEQ}); several matches of one left row in reverse insertion order of the
 * right side ({@link Hidden#RIGHT_SEQ} descending: the engine's order for small inputs, fixed here
 * for all); a full join's unmatched right rows last, in right order. The hidden columns are
 * dropped. No answers: the {@code empty} table.
 */
public final class JoinOrder implements Plan {
    private final Plan input;
    private final String description;
    private final RayTable empty;

    public JoinOrder(Plan input, String description, RayTable empty) {
        this.input = input;
        this.description = description;
        this.empty = empty;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return input.run(ctx, env).thenApply(v -> order(Route.tables(v, "a join")));
    }

    RayTable order(List<RayTable> tables) {
        if (tables.isEmpty()) {
            return empty;
        }
        RayTable all = new Parts(tables).all();
        I64Vector lseq = (I64Vector) all.column(Hidden.LEFT_SEQ);
        I64Vector rseq = all.hasColumn(Hidden.RIGHT_SEQ) ? (I64Vector) all.column(Hidden.RIGHT_SEQ) : null;
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
        return Project.dropHidden(all.gather(Arrays.stream(rows).mapToInt(Integer::intValue).toArray()));
    }

    @Override
    public String describe() {
        return "JoinOrder by left row, matches in reverse right order: " + description;
    }

    @Override
    public List<Plan> inputs() {
        return List.of(input);
    }
}
