package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.plan.Hidden;
import java.util.ArrayList;
import java.util.List;

/**
 * The co-moment family over the rows where both {@code x} and {@code y} have a value: {@code (cov
 * x y)} (population: the co-moment over n; 0.0 for one pair), {@code scov} (sample: over n-1, null
 * below 2 pairs) and {@code pearson_corr} (the co-moment over the square root of both second
 * moments; null when either is 0). Each shard sends its {@code (cov x y)}, its number of pairs,
 * the means of x and y over the pairs and, for the correlation, their population variances;
 * the router combines (n, means, co-moment, second moments) pairwise as Chan et al. do for the
 * variance.
 */
final class CoMomentRule implements AggregateRule {
    /** What is finished from the combined moments. */
    enum Form { COV, SCOV, PEARSON }

    private final Form form;

    CoMomentRule(Form form) {
        this.form = form;
    }

    @Override
    public String name() {
        return form.name();
    }

    @Override
    public List<Named> partials(Aggregate a, boolean grouped) {
        Expr x = a.argument();
        Expr y = a.more().get(0);
        Expr xp = Partials.wherePaired(x, y);
        Expr yp = Partials.wherePaired(y, x);
        List<Named> out = new ArrayList<>();
        out.add(Partials.call(a.output(), "cov", x, y));
        out.add(Partials.nonNullCount(part(a, "n"), xp));
        out.add(Partials.call(part(a, "mx"), "avg", xp));
        out.add(Partials.call(part(a, "my"), "avg", yp));
        if (form == Form.PEARSON) {
            out.add(Partials.call(part(a, "vx"), "var_pop", xp));
            out.add(Partials.call(part(a, "vy"), "var_pop", yp));
        }
        return out;
    }

    private static String part(Aggregate a, String p) {
        return Hidden.part(a.output(), p);
    }

    @Override
    public Vector combine(Aggregate a, RayTable partials, int[][] groups) {
        F64Vector covs = (F64Vector) partials.column(a.output());
        I64Vector counts = (I64Vector) partials.column(part(a, "n"));
        F64Vector mxs = (F64Vector) partials.column(part(a, "mx"));
        F64Vector mys = (F64Vector) partials.column(part(a, "my"));
        F64Vector vxs = form == Form.PEARSON ? (F64Vector) partials.column(part(a, "vx")) : null;
        F64Vector vys = form == Form.PEARSON ? (F64Vector) partials.column(part(a, "vy")) : null;
        double[] out = new double[groups.length];
        for (int g = 0; g < groups.length; g++) {
            long n = 0;
            double mx = 0;
            double my = 0;
            double c = 0;
            double m2x = 0;
            double m2y = 0;
            for (int r : groups[g]) {
                long nb = counts.isNull(r) ? 0 : counts.get(r);
                if (nb == 0) {
                    continue;
                }
                long nab = n + nb;
                double dx = mxs.get(r) - mx;
                double dy = mys.get(r) - my;
                double w = (double) n * nb / nab;
                c += covs.get(r) * nb + dx * dy * w;
                if (vxs != null) {
                    m2x += vxs.get(r) * nb + dx * dx * w;
                    m2y += vys.get(r) * nb + dy * dy * w;
                }
                mx += dx * nb / nab;
                my += dy * nb / nab;
                n = nab;
            }
            out[g] = Partials.finite(switch (form) {
                case COV -> n == 0 ? Nulls.F64 : c / n;
                case SCOV -> n < 2 ? Nulls.F64 : c / (n - 1);
                case PEARSON -> n == 0 ? Nulls.F64 : c / (Math.sqrt(m2x) * Math.sqrt(m2y));
            });
        }
        return new F64Vector(out);
    }

    @Override
    public Vector empty(Aggregate a, RayTable partials) {
        return F64Vector.of();
    }
}
