package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.Vector;
import java.util.Arrays;
import java.util.List;

/** {@code med}: the values themselves (a list per group); the exact median of all non-null values (mean of the middle two). */
final class MedianRule implements AggregateRule {
    @Override
    public String name() {
        return "MEDIAN";
    }

    @Override
    public List<Named> partials(Aggregate a, boolean grouped) {
        // in a grouped select a plain column becomes a list per group; ungrouped, the values are gathered
        return grouped ? List.of(new Named(a.output(), a.argument())) : List.of();
    }

    @Override
    public Expr gathered(Aggregate a) {
        return a.argument();
    }

    @Override
    public Vector combine(Aggregate a, RayTable partials, int[][] groups) {
        List<List<Vector>> values = Partials.gathered(partials.column(a.output()), groups);
        double[] out = new double[values.size()];
        for (int g = 0; g < values.size(); g++) {
            double[] all = Partials.numbers(values.get(g));
            if (all.length == 0) {
                out[g] = Nulls.F64;
                continue;
            }
            Arrays.sort(all);
            int m = all.length / 2;
            out[g] = all.length % 2 == 1 ? all[m] : (all[m - 1] + all[m]) / 2.0;
        }
        return new F64Vector(out);
    }

    @Override
    public Vector empty(Aggregate a, RayTable partials) {
        return F64Vector.of();
    }
}
