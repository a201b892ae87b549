package io.rayforce.cluster.router.plan.aggregate;

import static io.rayforce.cluster.router.plan.aggregate.Rules.groups;
import static io.rayforce.cluster.router.plan.aggregate.Rules.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.router.plan.Hidden;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The co-moments: each shard's (pairs, means, covariance, variances) combined pairwise. */
class CoMomentRuleTest {
    private static final CoMomentRule COV = new CoMomentRule(CoMomentRule.Form.COV);
    private static final CoMomentRule SCOV = new CoMomentRule(CoMomentRule.Form.SCOV);
    private static final CoMomentRule PEARSON = new CoMomentRule(CoMomentRule.Form.PEARSON);

    private static Aggregate over(CoMomentRule rule) {
        return new Aggregate("c", rule, Column.of("x"), List.of(Column.of("y")));
    }

    /** The partial row each part of the pairs (split at {@code cuts}) answers, as the engine computes it. */
    private static RayTable partials(double[] x, double[] y, int... cuts) {
        int parts = cuts.length + 1;
        double[] cov = new double[parts];
        long[] n = new long[parts];
        double[] mx = new double[parts];
        double[] my = new double[parts];
        double[] vx = new double[parts];
        double[] vy = new double[parts];
        int from = 0;
        for (int p = 0; p < parts; p++) {
            int to = p < cuts.length ? cuts[p] : x.length;
            double[] a = Arrays.copyOfRange(x, from, to);
            double[] b = Arrays.copyOfRange(y, from, to);
            n[p] = a.length;
            mx[p] = a.length == 0 ? Nulls.F64 : mean(a);
            my[p] = a.length == 0 ? Nulls.F64 : mean(b);
            cov[p] = a.length == 0 ? Nulls.F64 : coMoment(a, b) / a.length;
            vx[p] = a.length == 0 ? Nulls.F64 : coMoment(a, a) / a.length;
            vy[p] = a.length == 0 ? Nulls.F64 : coMoment(b, b) / a.length;
            from = to;
        }
        return table("c", F64Vector.of(cov), Hidden.part("c", "n"), I64Vector.of(n), Hidden.part("c", "mx"), F64Vector.of(mx),
                Hidden.part("c", "my"), F64Vector.of(my), Hidden.part("c", "vx"), F64Vector.of(vx), Hidden.part("c", "vy"),
                F64Vector.of(vy));
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).sum() / v.length;
    }

    /** The sum of (x - mean x)(y - mean y), in two passes. */
    private static double coMoment(double[] x, double[] y) {
        double mx = mean(x);
        double my = mean(y);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (x[i] - mx) * (y[i] - my);
        }
        return s;
    }

    private static double finish(CoMomentRule rule, RayTable p) {
        return ((F64Vector) rule.combine(over(rule), p, groups(java.util.stream.IntStream.range(0, p.rowCount()).toArray()))).get(0);
    }

    @Test
    void eachShardSendsItsCovarianceCountAndMeansOverThePairs() {
        assertThat(COV.partials(over(COV), true).toString()).isEqualTo("[c: (cov x y), __c_n: (- (count (+ x (* 0 y))) (sum (nil? "
                + "(+ x (* 0 y))))), __c_mx: (avg (+ x (* 0 y))), __c_my: (avg (+ y (* 0 x)))]");
        assertThat(PEARSON.partials(over(PEARSON), false).toString()).endsWith("__c_vx: (var_pop (+ x (* 0 y))), "
                + "__c_vy: (var_pop (+ y (* 0 x)))]");
        assertThat(new String[] {COV.name(), SCOV.name(), PEARSON.name()}).containsExactly("COV", "SCOV", "PEARSON");
    }

    @Test
    void theEnginesExampleSplitOverShards() {
        // the engine: (cov [1 2 3 4] [2 4 5 9]) 2.75, (scov ...) 3.6666666666666665, (pearson_corr ...) 0.9647638212377322
        RayTable p = partials(new double[] {1, 2, 3, 4}, new double[] {2, 4, 5, 9}, 1, 1, 3);
        assertThat(finish(COV, p)).isCloseTo(2.75, Offset.offset(1e-15));
        assertThat(finish(SCOV, p)).isCloseTo(3.6666666666666665, Offset.offset(1e-15));
        assertThat(finish(PEARSON, p)).isCloseTo(0.9647638212377322, Offset.offset(1e-15));
    }

    @Test
    void fewPairsGiveNullWhereTheEngineDoes() {
        // the engine: (cov [1] [2]) 0.0, (scov [1] [2]) and (pearson_corr [1] [2]) null, (cov [] []) null
        RayTable one = partials(new double[] {1}, new double[] {2}, 0);
        assertThat(finish(COV, one)).isZero();
        assertThat(finish(SCOV, one)).isNaN();
        assertThat(finish(PEARSON, one)).isNaN();
        RayTable none = partials(new double[0], new double[0], 0);
        assertThat(finish(COV, none)).isNaN();
        // a constant x: (pearson_corr [1 1] [2 3]) null
        assertThat(finish(PEARSON, partials(new double[] {1, 1}, new double[] {2, 3}, 1))).isNaN();
        assertThat(COV.empty(over(COV), null)).isEqualTo(F64Vector.of());
    }

    /** Random pairs split into random parts: the pairwise combination equals two passes over all pairs. */
    @Property(tries = 200)
    void theCombinationMatchesATwoPassComputation(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 2 + r.nextInt(300);
        double[] x = new double[n];
        double[] y = new double[n];
        double offset = new double[] {0, 1e3, -1e6}[r.nextInt(3)];
        for (int i = 0; i < n; i++) {
            x[i] = offset + r.nextGaussian() * 10;
            y[i] = 0.5 * x[i] + r.nextGaussian();
        }
        RayTable p = partials(x, y, r.ints(r.nextInt(6), 0, n + 1).sorted().toArray());
        double c = coMoment(x, y);
        assertThat(finish(COV, p)).as("seed %d", seed).isCloseTo(c / n, Offset.offset(1e-9 * Math.abs(c / n)));
        assertThat(finish(SCOV, p)).isCloseTo(c / (n - 1), Offset.offset(1e-9 * Math.abs(c / n)));
        double rho = c / Math.sqrt(coMoment(x, x) * coMoment(y, y));
        assertThat(finish(PEARSON, p)).isCloseTo(rho, Offset.offset(1e-9));
    }
}
