package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.plan.Hidden;
import java.util.List;

/**
 * The variance family ({@code var}, {@code var_pop}, {@code dev} = {@code dev_pop} =
 * {@code stddev_pop}, {@code stddev}): each shard's mean, non-null count and population
 * variance, combined with Chan et al.'s pairwise formula, which keeps the precision of a two-pass
 * computation; the sample forms are null below 2 values.
 */
final class VarianceRule implements AggregateRule {
    /** What is finished from the combined count and sum of squared deviations. */
    enum Form { VAR, VAR_POP, DEV, STDDEV }

    private final Form form;

    VarianceRule(Form form) {
        this.form = form;
    }

    @Override
    public String name() {
        return form.name();
    }

    @Override
    public List<Named> partials(Aggregate a, boolean grouped) {
        return List.of(Partials.call(a.output(), "avg", a.argument()), Partials.nonNullCount(Hidden.part(a.output(), "n"),
                a.argument()), Partials.call(Hidden.part(a.output(), "q"), "var_pop", a.argument()));
    }

    @Override
    public Vector combine(Aggregate a, RayTable partials, int[][] groups) {
        F64Vector means = (F64Vector) partials.column(a.output());
        I64Vector counts = (I64Vector) partials.column(Hidden.part(a.output(), "n"));
        F64Vector varPops = (F64Vector) partials.column(Hidden.part(a.output(), "q"));
        double[] out = new double[groups.length];
        for (int g = 0; g < groups.length; g++) {
            long n = 0;
            double mean = 0;
            double m2 = 0;
            for (int r : groups[g]) {
                long nb = counts.isNull(r) ? 0 : counts.get(r);
                if (nb == 0) {
                    continue;
                }
                double meanB = means.get(r);
                double m2B = varPops.get(r) * nb;
                long nab = n + nb;
                double delta = meanB - mean;
                mean += delta * nb / nab;
                m2 += m2B + delta * delta * ((double) n * nb / nab);
                n = nab;
            }
            out[g] = switch (form) {
                case VAR_POP -> n == 0 ? Nulls.F64 : m2 / n;
                case DEV -> n == 0 ? Nulls.F64 : Math.sqrt(m2 / n);
                case VAR -> n < 2 ? Nulls.F64 : m2 / (n - 1);
                case STDDEV -> n < 2 ? Nulls.F64 : Math.sqrt(m2 / (n - 1));
            };
        }
        return new F64Vector(out);
    }

    @Override
    public Vector empty(Aggregate a, RayTable partials) {
        return F64Vector.of();
    }
}
