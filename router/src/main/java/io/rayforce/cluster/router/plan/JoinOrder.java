package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.router.merge.Parts;
import java.util.Arrays;
import java.util.List;

/**
 * Orders the rows of a join run shard by shard of its left side as one server would: by left row
 * ({@link Hidden#LEFT_SEQ}); several matches of one left row in reverse insertion order of the
 * right side ({@link Hidden#RIGHT_SEQ} descending: the engine's order for small inputs, fixed here
 * for all); a full join's unmatched right rows last, in right order. The hidden columns are
 * dropped. No answers: the {@code empty} table.
 */
public final class JoinOrder extends ShardMerge {
    private final String description;

    public JoinOrder(Plan input, String description, RayTable empty) {
        super(input, "a join", empty);
        this.description = description;
    }

    @Override
    RayTable merge(List<RayTable> tables) {
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

}
