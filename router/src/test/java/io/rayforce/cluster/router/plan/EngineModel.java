package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.merge.ValueOrder;
import io.rayforce.cluster.router.plan.aggregate.Aggregate;
import io.rayforce.cluster.router.plan.aggregate.AggregateRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What one engine computes, written out by hand for the property tests: the partial states a
 * shard answers for each aggregate rule (per group, or over all its rows), and the aggregates
 * computed directly over a whole table (two-pass variance, i64 sums that wrap,
 * nulls skipped, first/last skipping nulls, distinct counts with null as one value).
 */
public final class EngineModel {
    private EngineModel() {
    }

    /** {@code output: (function column)}; {@code count_distinct} is {@code (count (distinct column))}. */
    public static Aggregate aggregate(String output, String function, String column) {
        Expr arg = Column.of(column);
        Expr call = function.equals("count_distinct") ? new Call("count", List.of(new Call("distinct", List.of(arg))))
                : new Call(function, List.of(arg));
        return AggregateRules.recognize(output, call);
    }

    /**
     * Random rows with group keys {@code k} (symbols, the null symbol among them) and {@code j}
     * (small i64 with nulls), values {@code x} (i64 with nulls), {@code w} (i64 near the limits, so
     * sums wrap), {@code y} (f64 with nulls, offset far from zero) and {@code __seq}.
     */
    public static RayTable randomTable(SplittableRandom r, int rows) {
        String[] syms = {"", "a", "b", "c", "d"};
        String[] k = new String[rows];
        long[] j = new long[rows];
        long[] x = new long[rows];
        long[] w = new long[rows];
        double[] y = new double[rows];
        long[] seq = new long[rows];
        double offset = r.nextInt(3) == 0 ? 1e6 : 0;
        for (int i = 0; i < rows; i++) {
            k[i] = syms[r.nextInt(syms.length)];
            j[i] = r.nextInt(5) == 0 ? Nulls.I64 : r.nextInt(3);
            x[i] = r.nextInt(6) == 0 ? Nulls.I64 : r.nextLong(-1000, 1000);
            w[i] = r.nextBoolean() ? Long.MAX_VALUE - r.nextInt(10) : Long.MIN_VALUE + 1 + r.nextInt(10);
            y[i] = r.nextInt(6) == 0 ? Nulls.F64 : offset + r.nextGaussian() * 100;
            seq[i] = i;
        }
        return RayTable.builder().column("k", new SymbolVector(k)).column("j", new I64Vector(j)).column("x", new I64Vector(x))
                .column("w", new I64Vector(w)).column("y", new F64Vector(y)).column(Hidden.SEQ, new I64Vector(seq)).build();
    }

    /** The rows dealt out at random to {@code parts} shards, each keeping insertion order. */
    public static List<RayTable> split(RayTable t, int parts, SplittableRandom r) {
        List<List<Integer>> rows = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            rows.add(new ArrayList<>());
        }
        for (int i = 0; i < t.rowCount(); i++) {
            rows.get(r.nextInt(parts)).add(i);
        }
        List<RayTable> out = new ArrayList<>();
        for (List<Integer> rs : rows) {
            out.add(t.gather(rs.stream().mapToInt(Integer::intValue).toArray()));
        }
        return out;
    }

    /** A grouped select's partials on one shard: keys, each rule's partial columns, {@code __first}. */
    public static RayTable groupedPartials(RayTable part, List<String> keys, List<Aggregate> aggs) {
        int[][] groups = groups(part, keys);
        List<String> names = new ArrayList<>(keys);
        List<Vector> cols = new ArrayList<>();
        int[] firstRows = Arrays.stream(groups).mapToInt(g -> g[0]).toArray();
        keys.forEach(k -> cols.add(part.column(k).gather(firstRows)));
        for (Aggregate a : aggs) {
            partials(a, part, groups, names, cols);
        }
        long[] seq = ((I64Vector) part.column(Hidden.SEQ)).toArray();
        long[] first = new long[groups.length];
        for (int g = 0; g < groups.length; g++) {
            first[g] = Arrays.stream(groups[g]).mapToLong(i -> seq[i]).min().orElseThrow();
        }
        names.add(Hidden.FIRST_SEQ);
        cols.add(new I64Vector(first));
        return RayTable.of(names, cols);
    }

    /** An ungrouped select's partials on one shard: one row, or none when the shard has no rows. */
    public static RayTable scalarPartials(RayTable part, List<Aggregate> aggs) {
        int[][] groups = groups(part, List.of());
        List<String> names = new ArrayList<>();
        List<Vector> cols = new ArrayList<>();
        for (Aggregate a : aggs) {
            if (a.rule().gathered(a) == null) {
                partials(a, part, groups, names, cols);
            }
        }
        return RayTable.of(names, cols);
    }

    /** The values a shard sends for a gathered aggregate of an ungrouped select. */
    public static Vector gathered(RayTable part, Aggregate a) {
        Vector col = part.column(column(a));
        return a.rule().name().equals("COUNT_DISTINCT") ? distinct(col, allRows(part)) : col;
    }

    /** The grouped select over the whole table, as one server answers it: keys then aggregates. */
    public static RayTable direct(RayTable whole, List<String> keys, List<Aggregate> aggs) {
        int[][] groups = groups(whole, keys);
        int[] firstRows = Arrays.stream(groups).mapToInt(g -> g[0]).toArray();
        List<String> names = new ArrayList<>(keys);
        List<Vector> cols = new ArrayList<>();
        keys.forEach(k -> cols.add(whole.column(k).gather(firstRows)));
        for (Aggregate a : aggs) {
            names.add(a.output());
            cols.add(finish(a, whole, groups));
        }
        return RayTable.of(names, cols);
    }

    /** The ungrouped select over the whole table: one row, or none when the table is empty. */
    public static RayTable directScalar(RayTable whole, List<Aggregate> aggs) {
        return direct(whole, List.of(), aggs);
    }

    private static void partials(Aggregate a, RayTable t, int[][] groups, List<String> names, List<Vector> cols) {
        Vector col = t.column(column(a));
        long[] seq = ((I64Vector) t.column(Hidden.SEQ)).toArray();
        String out = a.output();
        switch (a.rule().name()) {
            case "SUM", "MIN", "MAX" -> add(names, cols, out, finish(a, t, groups));
            case "COUNT" -> add(names, cols, out, counts(groups));
            case "AVG" -> {
                double[] sum = new double[groups.length];
                for (int g = 0; g < groups.length; g++) {
                    sum[g] = Arrays.stream(numbers(col, groups[g])).sum();
                }
                add(names, cols, out, new F64Vector(sum));
                add(names, cols, Hidden.part(out, "n"), nonNull(col, groups));
            }
            case "FIRST", "LAST" -> {
                int[] at = edges(col, groups, a.rule().name().equals("FIRST"));
                add(names, cols, out, pick(col, groups, at));
                long[] s = new long[groups.length];
                for (int g = 0; g < groups.length; g++) {
                    s[g] = at[g] < 0 ? Nulls.I64 : seq[at[g]];
                }
                add(names, cols, Hidden.part(out, "s"), new I64Vector(s));
            }
            case "VAR", "VAR_POP", "DEV", "STDDEV" -> {
                double[] mean = new double[groups.length];
                double[] varPop = new double[groups.length];
                for (int g = 0; g < groups.length; g++) {
                    double[] v = numbers(col, groups[g]);
                    mean[g] = v.length == 0 ? Nulls.F64 : mean(v);
                    varPop[g] = v.length == 0 ? Nulls.F64 : squaredDeviations(v) / v.length;
                }
                add(names, cols, out, new F64Vector(mean));
                add(names, cols, Hidden.part(out, "n"), nonNull(col, groups));
                add(names, cols, Hidden.part(out, "q"), new F64Vector(varPop));
            }
            case "COUNT_DISTINCT" -> {
                RayValue[] lists = new RayValue[groups.length];
                for (int g = 0; g < groups.length; g++) {
                    lists[g] = distinct(col, groups[g]);
                }
                add(names, cols, out, new RayList(lists));
            }
            default -> throw new IllegalArgumentException(a.rule().name());
        }
    }

    /** Aggregate {@code a} over each group of {@code t}'s rows, computed directly. */
    public static Vector finish(Aggregate a, RayTable t, int[][] groups) {
        Vector col = t.column(column(a));
        String rule = a.rule().name();
        double[] out = new double[groups.length];
        switch (rule) {
            case "SUM" -> {
                return sums(col, groups);
            }
            case "COUNT" -> {
                return counts(groups);
            }
            case "MIN", "MAX" -> {
                int[] at = new int[groups.length];
                for (int g = 0; g < groups.length; g++) {
                    at[g] = -1;
                    for (int i : groups[g]) {
                        int c = at[g] < 0 ? 0 : ValueOrder.compare(col, i, col, at[g]);
                        if (!col.isNull(i) && (at[g] < 0 || (rule.equals("MIN") ? c < 0 : c > 0))) {
                            at[g] = i;
                        }
                    }
                }
                return pick(col, groups, at);
            }
            case "FIRST", "LAST" -> {
                return pick(col, groups, edges(col, groups, rule.equals("FIRST")));
            }
            case "COUNT_DISTINCT" -> {
                long[] n = new long[groups.length];
                for (int g = 0; g < groups.length; g++) {
                    n[g] = distinct(col, groups[g]).length();
                }
                return new I64Vector(n);
            }
            default -> {
                for (int g = 0; g < groups.length; g++) {
                    out[g] = real(rule, numbers(col, groups[g]));
                }
                return new F64Vector(out);
            }
        }
    }

    /** The f64 aggregates of the non-null values {@code v}: the mean, two-pass variance. */
    private static double real(String rule, double[] v) {
        int n = v.length;
        return switch (rule) {
            case "AVG" -> n == 0 ? Nulls.F64 : Arrays.stream(v).sum() / n;
            case "VAR_POP" -> n == 0 ? Nulls.F64 : squaredDeviations(v) / n;
            case "DEV" -> n == 0 ? Nulls.F64 : Math.sqrt(squaredDeviations(v) / n);
            case "VAR" -> n < 2 ? Nulls.F64 : squaredDeviations(v) / (n - 1);
            case "STDDEV" -> n < 2 ? Nulls.F64 : Math.sqrt(squaredDeviations(v) / (n - 1));
            default -> throw new IllegalArgumentException(rule);
        };
    }

    /** The sum of squared deviations from the mean, in two passes. */
    public static double squaredDeviations(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double d : v) {
            s += (d - m) * (d - m);
        }
        return s;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).sum() / v.length;
    }

    /** Row groups by key values in first-appearance order; nulls equal nulls. No keys: one group of every row, if any. */
    public static int[][] groups(RayTable t, List<String> keys) {
        Map<List<RayValue>, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < t.rowCount(); i++) {
            List<RayValue> k = new ArrayList<>();
            for (String c : keys) {
                k.add(t.column(c).at(i));
            }
            byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
        }
        return byKey.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    private static String column(Aggregate a) {
        return ((Column) a.argument()).name();
    }

    private static int[] allRows(RayTable t) {
        return java.util.stream.IntStream.range(0, t.rowCount()).toArray();
    }

    private static void add(List<String> names, List<Vector> cols, String name, Vector col) {
        names.add(name);
        cols.add(col);
    }

    private static Vector counts(int[][] groups) {
        return new I64Vector(Arrays.stream(groups).mapToLong(g -> g.length).toArray());
    }

    /** Sums of the non-null values per group: i64 wrapping, or f64; 0 for none. */
    private static Vector sums(Vector col, int[][] groups) {
        if (col instanceof I64Vector v) {
            long[] out = new long[groups.length];
            for (int g = 0; g < groups.length; g++) {
                for (int i : groups[g]) {
                    out[g] += v.isNull(i) ? 0 : v.get(i);
                }
            }
            return new I64Vector(out);
        }
        double[] out = new double[groups.length];
        for (int g = 0; g < groups.length; g++) {
            out[g] = Arrays.stream(numbers(col, groups[g])).sum();
        }
        return new F64Vector(out);
    }

    private static Vector nonNull(Vector col, int[][] groups) {
        return new I64Vector(Arrays.stream(groups).mapToLong(g -> Arrays.stream(g).filter(i -> !col.isNull(i)).count()).toArray());
    }

    /** The first (last) non-null row of each group, or -1. */
    private static int[] edges(Vector col, int[][] groups, boolean first) {
        int[] at = new int[groups.length];
        for (int g = 0; g < groups.length; g++) {
            at[g] = -1;
            for (int i : groups[g]) {
                if (!col.isNull(i) && (at[g] < 0 || !first)) {
                    at[g] = i;
                }
            }
        }
        return at;
    }

    /** The value at each group's chosen row, or the group's (null) first row where none was chosen. */
    private static Vector pick(Vector col, int[][] groups, int[] at) {
        int[] rows = new int[groups.length];
        for (int g = 0; g < groups.length; g++) {
            rows[g] = at[g] >= 0 ? at[g] : groups[g][0];
        }
        return col.gather(rows);
    }

    /** The distinct values of the rows, in first-appearance order, null kept once. */
    private static Vector distinct(Vector col, int[] rows) {
        Set<RayValue> seen = new LinkedHashSet<>();
        List<Integer> keep = new ArrayList<>();
        for (int i : rows) {
            if (seen.add(col.at(i))) {
                keep.add(i);
            }
        }
        return col.gather(keep.stream().mapToInt(Integer::intValue).toArray());
    }

    private static double[] numbers(Vector col, int[] rows) {
        return Arrays.stream(rows).filter(i -> !col.isNull(i)).mapToDouble(i -> asDouble(col, i)).toArray();
    }

    private static double asDouble(Vector col, int i) {
        return col instanceof I64Vector v ? v.get(i) : ((F64Vector) col).get(i);
    }
}
