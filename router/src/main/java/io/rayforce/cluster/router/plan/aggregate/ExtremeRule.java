package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.merge.ValueOrder;
import java.util.List;

/** {@code min} and {@code max}: the smallest (largest) non-null partial, keeping its type. */
final class ExtremeRule implements AggregateRule {
    private final boolean min;

    ExtremeRule(boolean min) {
        this.min = min;
    }

    @Override
    public String name() {
        return min ? "MIN" : "MAX";
    }

    @Override
    public List<Named> partials(Aggregate a, boolean grouped) {
        return List.of(Partials.call(a.output(), min ? "min" : "max", a.argument()));
    }

    @Override
    public Vector combine(Aggregate a, RayTable partials, int[][] groups) {
        Vector col = partials.column(a.output());
        int[] chosen = new int[groups.length];
        for (int g = 0; g < groups.length; g++) {
            int best = groups[g][0];
            for (int r : groups[g]) {
                if (col.isNull(best) || (!col.isNull(r) && (min ? ValueOrder.compare(col, r, col, best) < 0
                        : ValueOrder.compare(col, r, col, best) > 0))) {
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
