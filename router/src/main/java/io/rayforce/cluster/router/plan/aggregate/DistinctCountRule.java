package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.merge.ValueOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code (count (distinct x))}: each shard's distinct values; the size of their union (null counts as one value,
 * -0.0 is 0.0, as on the engine). Kept as values, each group's shard vectors in a list column
 * for a later step to count ({@link #count}).
 */
final class DistinctCountRule implements AggregateRule {
    private final boolean keepValues;

    DistinctCountRule(boolean keepValues) {
        this.keepValues = keepValues;
    }

    @Override
    public String name() {
        return "COUNT_DISTINCT";
    }

    @Override
    public List<Named> partials(Aggregate a, boolean grouped) {
        return grouped ? List.of(new Named(a.output(), gathered(a))) : List.of();
    }

    @Override
    public Expr gathered(Aggregate a) {
        return new Call("distinct", List.of(a.argument()));
    }

    @Override
    public Vector combine(Aggregate a, RayTable partials, int[][] groups) {
        List<List<Vector>> values = Partials.gathered(partials.column(a.output()), groups);
        if (keepValues) {
            RayValue[] lists = new RayValue[values.size()];
            for (int g = 0; g < lists.length; g++) {
                lists[g] = RayList.of(values.get(g));
            }
            return RayList.of(lists);
        }
        long[] out = new long[values.size()];
        for (int g = 0; g < values.size(); g++) {
            out[g] = count(values.get(g));
        }
        return new I64Vector(out);
    }

    /** How many distinct values the vectors hold together. */
    static long count(List<Vector> parts) {
        Set<RayValue> seen = new HashSet<>();
        for (Vector v : parts) {
            for (int i = 0; i < v.length(); i++) {
                seen.add(ValueOrder.key(v, i));
            }
        }
        return seen.size();
    }

    @Override
    public RayValue overNothing(Aggregate a, Vector empty) {
        return I64Atom.of(0);
    }

    @Override
    public Vector empty(Aggregate a, RayTable partials) {
        return I64Vector.of();
    }
}
