package io.rayforce.cluster.router.plan.aggregate;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.value.Atom;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.merge.ValueOrder;
import io.rayforce.cluster.router.merge.Vectors;
import io.rayforce.cluster.router.plan.Hidden;
import java.util.List;

/**
 * The exact order statistics: {@code (med x)}, {@code (percentile x p)} (p in percent, 0 to 100)
 * and {@code (quantile x q)} (q from 0 to 1), over the values that are not null, as f64. As the
 * engine computes them: the median is the middle value, or {@code (a + b) / 2} of the middle two;
 * a quantile is at rank {@code r = q * (n - 1)} ({@code (p / 100) * (n - 1)}), interpolated as
 * {@code fma(r - floor(r), b - a, a)} between the values at floor(r) and ceil(r); a result that
 * overflows is null. Each shard sends its count of values, its min and its max; combined, each
 * group's state is the list (count, min, max), from which {@code RankSelect} finds the values at
 * the ranks on the shards.
 */
final class RankRule implements AggregateRule, Ranked {
    /** Which order statistic. */
    enum Form { MEDIAN, PERCENTILE, QUANTILE }

    private final Form form;

    RankRule(Form form) {
        this.form = form;
    }

    @Override
    public String name() {
        return form.name();
    }

    @Override
    public Finish finish() {
        return Finish.RANK_SELECT;
    }

    @Override
    public List<Named> partials(Aggregate a, boolean grouped) {
        return List.of(Partials.nonNullCount(a.output(), a.argument()), Partials.call(min(a), "min", a.argument()),
                Partials.call(max(a), "max", a.argument()));
    }

    private static String min(Aggregate a) {
        return Hidden.part(a.output(), "lo");
    }

    private static String max(Aggregate a) {
        return Hidden.part(a.output(), "hi");
    }

    /** Per group the list (count as i64, min, max) of the values that are not null; the atoms typed as the values. */
    @Override
    public Vector combine(Aggregate a, RayTable partials, int[][] groups) {
        I64Vector counts = (I64Vector) partials.column(a.output());
        Vector lo = partials.column(min(a));
        Vector hi = partials.column(max(a));
        RayValue[] out = new RayValue[groups.length];
        for (int g = 0; g < groups.length; g++) {
            long n = 0;
            int least = -1;
            int most = -1;
            for (int r : groups[g]) {
                if (counts.isNull(r) || counts.get(r) == 0) {
                    continue;
                }
                n += counts.get(r);
                if (least < 0 || ValueOrder.compare(lo, r, lo, least) < 0) {
                    least = r;
                }
                if (most < 0 || ValueOrder.compare(hi, r, hi, most) > 0) {
                    most = r;
                }
            }
            out[g] = n == 0 ? RayList.of(I64Atom.of(0)) : RayList.of(I64Atom.of(n), lo.at(least), hi.at(most));
        }
        return RayList.of(out);
    }

    @Override
    public long[] ranks(Aggregate a, long n) {
        if (form == Form.MEDIAN) {
            return n % 2 == 1 ? new long[] {n / 2, n / 2} : new long[] {n / 2 - 1, n / 2};
        }
        double r = rank(a, n);
        return new long[] {(long) Math.floor(r), (long) Math.ceil(r)};
    }

    /** Where a quantile falls among n sorted values: {@code q * (n - 1)}. */
    private double rank(Aggregate a, long n) {
        double q = fraction(form, a);
        return q * (n - 1);
    }

    /** The quantile a percentile's or quantile's literal asks for, from 0 to 1 (p / 100 for a percentile). */
    static double fraction(Form form, Aggregate a) {
        double p = number(((Literal) a.more().get(0)).value());
        return form == Form.PERCENTILE ? p / 100 : p;
    }

    @Override
    public double finish(Aggregate a, long n, double atLo, double atHi) {
        if (form == Form.MEDIAN) {
            return n % 2 == 1 ? atLo : Partials.finite((atLo + atHi) / 2);
        }
        double r = rank(a, n);
        double f = r - Math.floor(r);
        return f == 0 ? atLo : Partials.finite(Math.fma(f, atHi - atLo, atLo));
    }

    /**
     * A numeric atom as a double, or NaN when it is not one (or is null): the parameter of
     * {@code percentile} and {@code quantile} (the engine takes an i64, i32, f64, f32 or boolean atom).
     */
    static double number(RayValue v) {
        if (!(v instanceof Atom) || v instanceof Name) {
            return Double.NaN;
        }
        Vector one = Vectors.of(v);
        if (one.isNull(0) || one instanceof RayList) {
            return Double.NaN;
        }
        try {
            return Partials.asDouble(one, 0);
        } catch (IllegalArgumentException e) {
            return Double.NaN;
        }
    }

    @Override
    public Call call(Aggregate a) {
        return new Call(form == Form.MEDIAN ? "med" : form.name().toLowerCase(), a.arguments());
    }

    @Override
    public Vector empty(Aggregate a, RayTable partials) {
        return F64Vector.of();
    }

    @Override
    public RayValue overNothing(Aggregate a, Vector empty) {
        return F64Atom.of(Nulls.F64);
    }
}
