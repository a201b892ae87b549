package io.rayforce.cluster.router.merge;

import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I16Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.IntBackedVector;
import io.rayforce.cluster.client.value.LongBackedVector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.U8Vector;
import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.Vector;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finishes an {@link Aggregate} from its partial states. {@code partials} holds every shard's
 * partial rows one after another; {@code groups[g]} lists the rows of group g (for an ungrouped
 * select, one group of all rows). Gathered kinds (median, distinct count) read their values from
 * {@code values[g]}: the vectors of the group's values from every shard.
 */
public final class Combiner {
    private Combiner() {
    }

    public static Vector finish(Aggregate a, RayTable partials, int[][] groups, List<List<Vector>> values) {
        return switch (a.kind()) {
            case SUM -> sum(partials.column(a.output()), groups);
            case COUNT -> sum(partials.column(a.output()), groups);
            case MIN -> pick(partials.column(a.output()), groups, true);
            case MAX -> pick(partials.column(a.output()), groups, false);
            case FIRST -> bySeq(partials.column(a.output()), (I64Vector) partials.column(a.hidden("s")), groups, true);
            case LAST -> bySeq(partials.column(a.output()), (I64Vector) partials.column(a.hidden("s")), groups, false);
            case AVG -> avg(partials.column(a.output()), (I64Vector) partials.column(a.hidden("n")), groups);
            case VAR, VAR_POP, DEV, STDDEV -> variance(a.kind(), (F64Vector) partials.column(a.output()),
                    (I64Vector) partials.column(a.hidden("n")), (F64Vector) partials.column(a.hidden("q")), groups);
            case MEDIAN -> median(values);
            case COUNT_DISTINCT -> countDistinct(values);
        };
    }

    /** Sums of i64 (wrapping, as the engine) or f64 partials; null partials are skipped. */
    static Vector sum(Vector col, int[][] groups) {
        if (col instanceof LongBackedVector v) {
            long[] out = new long[groups.length];
            for (int g = 0; g < groups.length; g++) {
                long s = 0;
                for (int r : groups[g]) {
                    if (!v.isNull(r)) {
                        s += v.get(r);
                    }
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

    /** The smallest (or largest) non-null partial per group, keeping its type. */
    static Vector pick(Vector col, int[][] groups, boolean min) {
        int[] chosen = new int[groups.length];
        for (int g = 0; g < groups.length; g++) {
            int best = groups[g][0];
            for (int r : groups[g]) {
                if (col.isNull(best) || (!col.isNull(r) && (min ? ValueOrder.compare(col, r, col, best) < 0
                        : ValueOrder.compare(col, r, col, best) > 0))) {
                    best = r;
                }
            }
            chosen[g] = best;
        }
        return col.gather(chosen);
    }

    /** The partial whose non-null value has the smallest (first) or largest (last) sequence number. */
    static Vector bySeq(Vector col, I64Vector seqs, int[][] groups, boolean first) {
        int[] chosen = new int[groups.length];
        for (int g = 0; g < groups.length; g++) {
            int best = groups[g][0];
            for (int r : groups[g]) {
                if (seqs.isNull(r)) {
                    continue;
                }
                if (seqs.isNull(best) || (first ? seqs.get(r) < seqs.get(best) : seqs.get(r) > seqs.get(best))) {
                    best = r;
                }
            }
            chosen[g] = best;
        }
        return col.gather(chosen);
    }

    static Vector avg(Vector sums, I64Vector counts, int[][] groups) {
        double[] out = new double[groups.length];
        for (int g = 0; g < groups.length; g++) {
            double s = 0;
            long n = 0;
            for (int r : groups[g]) {
                if (counts.isNull(r) || counts.get(r) == 0) {
                    continue;
                }
                s += sums instanceof LongBackedVector l ? (double) l.get(r) : ((F64Vector) sums).get(r);
                n += counts.get(r);
            }
            out[g] = n == 0 ? Nulls.F64 : s / n;
        }
        return new F64Vector(out);
    }

    /**
     * Variance family from per-shard (count, mean, population variance), combined with Chan et
     * al.'s pairwise formula, which keeps the precision of a two-pass computation.
     */
    static Vector variance(Aggregate.Kind kind, F64Vector means, I64Vector counts, F64Vector varPops, int[][] groups) {
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
            out[g] = switch (kind) {
                case VAR_POP -> n == 0 ? Nulls.F64 : m2 / n;
                case DEV -> n == 0 ? Nulls.F64 : Math.sqrt(m2 / n);
                case VAR -> n < 2 ? Nulls.F64 : m2 / (n - 1);
                case STDDEV -> n < 2 ? Nulls.F64 : Math.sqrt(m2 / (n - 1));
                default -> throw new IllegalArgumentException(kind.toString());
            };
        }
        return new F64Vector(out);
    }

    /** Exact median of each group's non-null values (the mean of the middle two for an even count). */
    static Vector median(List<List<Vector>> values) {
        double[] out = new double[values.size()];
        for (int g = 0; g < values.size(); g++) {
            double[] all = numbers(values.get(g));
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

    /** Distinct values of each group across shards; null counts as one value. */
    static Vector countDistinct(List<List<Vector>> values) {
        long[] out = new long[values.size()];
        for (int g = 0; g < values.size(); g++) {
            Set<RayValue> seen = new HashSet<>();
            for (Vector v : values.get(g)) {
                for (int i = 0; i < v.length(); i++) {
                    seen.add(v.at(i));
                }
            }
            out[g] = seen.size();
        }
        return new I64Vector(out);
    }

    /** The non-null values of numeric vectors as doubles. */
    static double[] numbers(List<Vector> parts) {
        int n = 0;
        for (Vector v : parts) {
            n += v.length();
        }
        double[] out = new double[n];
        int k = 0;
        for (Vector v : parts) {
            for (int i = 0; i < v.length(); i++) {
                if (v.isNull(i)) {
                    continue;
                }
                out[k++] = asDouble(v, i);
            }
        }
        return Arrays.copyOf(out, k);
    }

    static double asDouble(Vector v, int i) {
        if (v instanceof LongBackedVector l) {
            return l.get(i);
        } else if (v instanceof IntBackedVector x) {
            return x.get(i);
        } else if (v instanceof F64Vector x) {
            return x.get(i);
        } else if (v instanceof F32Vector x) {
            return x.get(i);
        } else if (v instanceof I16Vector x) {
            return x.get(i);
        } else if (v instanceof U8Vector x) {
            return x.unsigned(i);
        } else if (v instanceof BoolVector x) {
            return x.get(i) ? 1 : 0;
        }
        throw new IllegalArgumentException("median needs numbers, got a " + v.type().rayfallName() + " column");
    }

    /** The vectors held in a LIST column's rows (a grouped shard select's gathered values). */
    public static Vector listItem(Vector listColumn, int row) {
        if (listColumn instanceof RayList l && l.get(row) instanceof Vector v) {
            return v;
        }
        if (!(listColumn instanceof RayList)) {
            // a group with one value per shard can come back as a plain typed column
            return listColumn.slice(row, row + 1);
        }
        throw new IllegalStateException("expected a vector of values in the gathered column, got " + listColumn.at(row));
    }
}
