package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import java.util.List;

/**
 * {@code all} and {@code any}: whether every (some) value that is not null is non-zero; nulls are
 * skipped ({@code (all [1 0N])} is true, {@code (any [0N])} false), over no values {@code all} is
 * true and {@code any} false. Each shard's own, and-ed (or-ed).
 */
final class LogicRule implements AggregateRule {
    private final boolean all;

    LogicRule(boolean all) {
        this.all = all;
    }

    @Override
    public String name() {
        return all ? "ALL" : "ANY";
    }

    @Override
    public List<Named> partials(Aggregate a, boolean grouped) {
        return List.of(Partials.call(a.output(), all ? "all" : "any", a.argument()));
    }

    @Override
    public Vector combine(Aggregate a, RayTable partials, int[][] groups) {
        BoolVector col = (BoolVector) partials.column(a.output());
        boolean[] out = new boolean[groups.length];
        for (int g = 0; g < groups.length; g++) {
            boolean v = all;
            for (int r : groups[g]) {
                v = all ? v && col.get(r) : v || col.get(r);
            }
            out[g] = v;
        }
        return new BoolVector(out);
    }

    @Override
    public Vector empty(Aggregate a, RayTable partials) {
        return BoolVector.of();
    }

    @Override
    public RayValue overNothing(Aggregate a, Vector empty) {
        return BoolAtom.of(all);
    }
}
