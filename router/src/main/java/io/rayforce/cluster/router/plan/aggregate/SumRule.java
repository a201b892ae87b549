package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.LongBackedVector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import java.util.List;

/** {@code sum} and {@code count}: each shard's own, added up (i64 wraps as the engine's does). */
final class SumRule implements AggregateRule {
    private final String function;

    /** @param function {@code sum} or {@code count} */
    SumRule(String function) {
        this.function = function;
    }

    @Override
    public String name() {
        return function.equals("count") ? "COUNT" : "SUM";
    }

    @Override
    public List<Named> partials(Aggregate a, boolean grouped) {
        return List.of(Partials.call(a.output(), function, a.argument()));
    }

    @Override
    public Vector combine(Aggregate a, RayTable partials, int[][] groups) {
        return sum(partials.column(a.output()), groups);
    }

    /**
     * Sums of i64 or f64 partials per group. An i64 partial is always added: a shard's sum is never
     * null, and one that wrapped onto the null sentinel ({@code (sum [9223372036854775807 1])}) is
     * still the wrapped sum the whole table's sum passes through. Null f64 partials are skipped.
     */
    static Vector sum(Vector col, int[][] groups) {
        if (col instanceof LongBackedVector v) {
            long[] out = new long[groups.length];
            for (int g = 0; g < groups.length; g++) {
                long s = 0;
                for (int r : groups[g]) {
                    s += v.get(r);
                }
                out[g] = s;
            }
            return new I64Vector(out);
        }
        if (col instanceof F64Vector v) {
            double[] out = new double[groups.length];
            for (int g = 0; g < groups.length; g++) {
                double s = 0;
                for (int r : groups[g]) {
                    if (!v.isNull(r)) {
                        s += v.get(r);
                    }
                }
                out[g] = s;
            }
            return new F64Vector(out);
        }
        throw new IllegalStateException("cannot add partial sums of type " + col.type().rayfallName());
    }

    @Override
    public RayValue overNothing(Aggregate a, Vector empty) {
        if (function.equals("count")) {
            return I64Atom.of(0);
        }
        return empty instanceof F64Vector ? F64Atom.of(0.0) : I64Atom.of(0);
    }

    @Override
    public Vector empty(Aggregate a, RayTable partials) {
        return function.equals("count") ? I64Vector.of() : Partials.emptyLike(partials, a.output());
    }
}
