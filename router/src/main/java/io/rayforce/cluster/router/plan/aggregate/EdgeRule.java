package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.plan.Hidden;
import java.util.List;

/**
 * {@code first} and {@code last}: each shard's own with the sequence number of its first (last)
 * non-null value; the value whose sequence is smallest (largest). The engine's first and last
 * skip nulls.
 */
final class EdgeRule implements AggregateRule {
    private final boolean first;

    EdgeRule(boolean first) {
        this.first = first;
    }

    @Override
    public String name() {
        return first ? "FIRST" : "LAST";
    }

    @Override
    public List<Named> partials(Aggregate a, boolean grouped) {
        return List.of(Partials.call(a.output(), first ? "first" : "last", a.argument()),
                Partials.seqOfNonNull(Hidden.part(a.output(), "s"), a.argument(), first ? "min" : "max"));
    }

    @Override
    public Vector combine(Aggregate a, RayTable partials, int[][] groups) {
        Vector col = partials.column(a.output());
        I64Vector seqs = (I64Vector) partials.column(Hidden.part(a.output(), "s"));
        int[] chosen = new int[groups.length];
        for (int g = 0; g < groups.length; g++) {
            int best = groups[g][0];
            for (int r : groups[g]) {
                if (seqs.isNull(r)) {
                    continue;
                }
                if (seqs.isNull(best) || (first ? seqs.get(r) < seqs.get(best) : seqs.get(r) > seqs.get(best))) {
                    best = r;
                }
            }
            chosen[g] = best;
        }
        return col.gather(chosen);
    }

    @Override
    public Vector empty(Aggregate a, RayTable partials) {
        return Partials.emptyLike(partials, a.output());
    }
}
