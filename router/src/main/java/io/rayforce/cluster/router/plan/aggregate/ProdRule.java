package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.LongBackedVector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.plan.Hidden;
import java.util.List;

/**
 * {@code prod}: the product of the values that are not null, i64 (wrapping as the engine's does:
 * {@code (prod [4611686018427387904 2])} is the null sentinel's bits) or f64. Each shard sends its
 * product and how many values it had; a shard with none is left out, and a wrapped product is
 * still multiplied. Over no values the engine's {@code (prod [])} is 1, but a select's
 * projection is null (a filter that matches nothing, or a group whose values are all null): the
 * {@code projection} form.
 */
final class ProdRule implements AggregateRule {
    private final boolean projection;

    /** @param projection the value of a select's projection (null over no values); else of a vector (1) */
    ProdRule(boolean projection) {
        this.projection = projection;
    }

    @Override
    public String name() {
        return projection ? "PROD_SELECT" : "PROD";
    }

    @Override
    public List<Named> partials(Aggregate a, boolean grouped) {
        return List.of(Partials.call(a.output(), "prod", a.argument()), Partials.nonNullCount(count(a), a.argument()));
    }

    private static String count(Aggregate a) {
        return Hidden.part(a.output(), "n");
    }

    @Override
    public Vector combine(Aggregate a, RayTable partials, int[][] groups) {
        Vector col = partials.column(a.output());
        I64Vector counts = (I64Vector) partials.column(count(a));
        if (col instanceof LongBackedVector v) {
            long[] out = new long[groups.length];
            for (int g = 0; g < groups.length; g++) {
                long p = 1;
                long n = 0;
                for (int r : groups[g]) {
                    if (!counts.isNull(r) && counts.get(r) > 0) {
                        p *= v.get(r);
                        n += counts.get(r);
                    }
                }
                out[g] = n == 0 && projection ? Nulls.I64 : p;
            }
            return new I64Vector(out);
        }
        F64Vector v = (F64Vector) col;
        double[] out = new double[groups.length];
        for (int g = 0; g < groups.length; g++) {
            double p = 1;
            long n = 0;
            for (int r : groups[g]) {
                if (!counts.isNull(r) && counts.get(r) > 0) {
                    p *= v.get(r);
                    n += counts.get(r);
                }
            }
            out[g] = n == 0 && projection ? Nulls.F64 : Partials.finite(p);
        }
        return new F64Vector(out);
    }

    @Override
    public Vector empty(Aggregate a, RayTable partials) {
        return Partials.emptyLike(partials, a.output());
    }

    @Override
    public RayValue overNothing(Aggregate a, Vector empty) {
        if (projection) {
            return Partials.nullLike(empty);
        }
        return empty instanceof F64Vector ? F64Atom.of(1.0) : I64Atom.of(1);
    }
}
