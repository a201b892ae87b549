package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.merge.ValueOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code (count (distinct x))}: each shard's distinct values; the size of their union (null counts as one value,
 * -0.0 is 0.0, as on the engine).
 */
final class DistinctCountRule implements AggregateRule {
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
        long[] out = new long[values.size()];
        for (int g = 0; g < values.size(); g++) {
            Set<RayValue> seen = new HashSet<>();
            for (Vector v : values.get(g)) {
                for (int i = 0; i < v.length(); i++) {
                    seen.add(ValueOrder.key(v, i));
                }
            }
            out[g] = seen.size();
        }
        return new I64Vector(out);
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
