package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.merge.Vectors;
import io.rayforce.cluster.router.plan.aggregate.Aggregate;
import io.rayforce.cluster.router.plan.aggregate.Ranked;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Finishes the order statistics of a combined answer ({@code med}, {@code percentile},
 * {@code quantile}) exactly, without moving every value: a distributed selection in rounds. The
 * combine gives each group's count of values, min and max; the router keeps, per group, a range
 * [lo, hi] that holds the values at the wanted ranks. For numbers a round is a <b>bucket round</b>:
 * every shard puts its values in the range into buckets that grow with the value (floor of
 * (x - lo) times the group's scale) and answers each bucket's count, least and greatest value;
 * the range becomes the least value of the bucket holding the lower rank up to the greatest of the
 * one holding the upper rank. For other ordered types (and when buckets cannot narrow) it is a
 * <b>pivot round</b>: {@value #PIVOTS} pivots evenly spaced over the values' order
 * ({@link SortableValues}), every shard counting its values in the range below each pivot, and the
 * range shrinks to the pivots around the ranks, at least 16-fold. Grouped, the open groups'
 * ranges go with the request as a table joined on the keys with the rows in the union of the
 * ranges, except in a first bucket round (one scale over the union of the whole ranges, no join). A range down to one value is that
 * value. Once few values remain in the open ranges (at most {@value #PER_GROUP} per open group,
 * or {@value #SMALL} in all), the shards send those values and the router picks the ranks: small
 * inputs take that round at once. What every round moved is counted under this operator
 * (docs/planner.md, Order statistics in rounds).
 */
public final class RankSelect implements Plan {
    /** Pivots per group and round. */
    public static final int PIVOTS = 31;
    /** Values a round may gather per open group. */
    public static final long PER_GROUP = 256;
    /** Values a round may gather in all, however few the groups. */
    public static final long SMALL = 4096;
    /** Rounds after which the values are gathered whatever their number (a 64-bit range needs 16). */
    static final int MAX_ROUNDS = 40;

    /** The aggregated value in a shard's rows. */
    static final String VALUE = "__x";
    /** The values a shard sends in the last round (and the engine's own aggregate when the values have no order here). */
    static final String VALUES = Hidden.VALUES;
    /** A group's range, lowest and highest value that may be at a wanted rank. */
    static final String LO = "__lo";
    static final String HI = "__hi";

    /** A bucket round: a group's buckets per unit of value ((x - lo) * scale, floored, is a value's bucket). */
    static final String SCALE = "__s";
    /** A bucket round's answer: the bucket, and its count, least and greatest value. */
    static final String BUCKET = "__b";
    static final String BUCKET_COUNT = "__n";
    static final String BUCKET_MIN = "__mn";
    static final String BUCKET_MAX = "__mx";
    /** Buckets a round asks an ungrouped aggregate for; a grouped one's share {@value #BUCKETS_IN_ALL} (at least the pivots' count). */
    static final int BUCKETS = 1024;
    static final int BUCKETS_IN_ALL = 32_768;
    /** Values in the open ranges per bucket a round asks for, at least. */
    static final int VALUES_PER_BUCKET = 256;

    /** Pivot {@code j} of a group. */
    static String pivot(int j) {
        return "__at" + j;
    }

    /** A shard's count of a group's values in its range below pivot {@code j}. */
    static String count(int j) {
        return "__c" + j;
    }

    /**
     * One round's question for the shards about one aggregate. {@code groups}: per open group its
     * keys, {@link #LO}, {@link #HI} and, when {@code pivots} > 0, the pivots (typed as the
     * values). The shards answer per group (one row for an ungrouped select): the counts
     * {@code __c0..} of values in [lo, hi] below each pivot; or, with no pivots, the values in
     * [lo, hi] ({@link #VALUES}: a vector per group, or the column of values when ungrouped). With
     * {@code engine}, the values have no order the router knows (symbols...): the shards compute
     * the engine's own aggregate, so the engine gives its answer (an error) for them. With
     * {@code buckets}, a bucket round ({@link #SCALE} per group); {@code shared}: one scale and the
     * union of the ranges for every group (no join: the first round of a grouped search, when each
     * range is still its group's whole range).
     */
    public record Round(Aggregate aggregate, RayTable groups, int pivots, boolean engine, int buckets, boolean shared) {
        public Round(Aggregate aggregate, RayTable groups, int pivots, boolean engine) {
            this(aggregate, groups, pivots, engine, 0, false);
        }
    }

    /** Where the rows live: answers rounds, one table per shard. */
    public interface Shards {
        CompletableFuture<List<RayTable>> ask(QueryContext ctx, PlanEnv env, Plan step, Round round);

        /** The group key columns of the combined answer (none when ungrouped). */
        List<String> keyNames();

        String describe();
    }

    private final Plan input;
    private final List<Aggregate> ranked;
    private final Shards shards;
    private final int pivots;
    private final long perGroup;
    private final long small;

    /** @param input the combined groups, each ranked aggregate's column holding its (count, min, max) per group */
    public RankSelect(Plan input, List<Aggregate> ranked, Shards shards) {
        this(input, ranked, shards, PIVOTS, PER_GROUP, SMALL);
    }

    RankSelect(Plan input, List<Aggregate> ranked, Shards shards, int pivots, long perGroup, long small) {
        this.input = input;
        this.ranked = List.copyOf(ranked);
        this.shards = shards;
        this.pivots = pivots;
        this.perGroup = perGroup;
        this.small = small;
    }

    @Override
    public CompletableFuture<RayValue> run(QueryContext ctx, PlanEnv env) {
        return input.run(ctx, env).thenCompose(v -> {
            RayTable t = (RayTable) v;
            Map<String, CompletableFuture<Vector>> finished = new LinkedHashMap<>();
            for (Aggregate a : ranked) {
                if (t.column(a.output()) instanceof RayList states) {
                    finished.put(a.output(), states.length() == 0 ? CompletableFuture.completedFuture(F64Vector.of())
                            : new Search(a, t, states).run(ctx, env));
                }
                // otherwise already final: the aggregate over no values, or no groups
            }
            return AggregateSource.replacing(t, finished);
        });
    }

    /** The search for one aggregate's ranks in every group. */
    private final class Search {
        private final Aggregate a;
        private final Ranked rule;
        private final RayTable groups;
        private final long[] n;
        private final long[] rankLo;
        private final long[] rankHi;
        /** Each open group's range of keys, and how many of its values are below lo, at or below hi. */
        private final long[] lo;
        private final long[] hi;
        private final long[] below;
        private final long[] upTo;
        private final boolean[] open;
        private final double[] out;
        private Vector like;
        private boolean ordered = true;
        private int rounds;
        /** Whether the next round may be a bucket round (the last one narrowed some range). */
        private boolean bucketsMayGo = true;

        Search(Aggregate a, RayTable groups, RayList states) {
            this.a = a;
            this.rule = (Ranked) a.rule();
            this.groups = groups;
            int g = states.length();
            n = new long[g];
            rankLo = new long[g];
            rankHi = new long[g];
            lo = new long[g];
            hi = new long[g];
            below = new long[g];
            upTo = new long[g];
            open = new boolean[g];
            out = new double[g];
            for (int i = 0; i < g; i++) {
                RayList state = (RayList) states.get(i);
                n[i] = ((I64Atom) state.get(0)).value();
                if (n[i] == 0) {
                    out[i] = Nulls.F64;
                    continue;
                }
                Vector least = Vectors.of(state.get(1));
                Vector most = Vectors.of(state.get(2));
                like = like == null ? least : like;
                open[i] = true;
                if (!SortableValues.supports(least)) {
                    ordered = false;
                    continue;
                }
                long[] r = rule.ranks(a, n[i]);
                rankLo[i] = r[0];
                rankHi[i] = r[1];
                lo[i] = SortableValues.key(least, 0);
                hi[i] = SortableValues.key(most, 0);
                upTo[i] = n[i];
                settleIfOneValue(i);
            }
        }

        /** A range of one value is the value at both ranks. */
        private void settleIfOneValue(int g) {
            if (lo[g] == hi[g]) {
                double v = SortableValues.number(like, lo[g]);
                out[g] = rule.finish(a, n[g], v, v);
                open[g] = false;
            }
        }

        CompletableFuture<Vector> run(QueryContext ctx, PlanEnv env) {
            if (!ordered) {
                return shards.ask(ctx, env, RankSelect.this, new Round(a, null, 0, true)).thenApply(x -> {
                    throw new ClusterQueryError("cannot rank values of type " + like.type().rayfallName() + " for " + a.output());
                });
            }
            return step(ctx, env);
        }

        private int[] openGroups() {
            return java.util.stream.IntStream.range(0, open.length).filter(g -> open[g]).toArray();
        }

        private CompletableFuture<Vector> step(QueryContext ctx, PlanEnv env) {
            int[] todo = openGroups();
            if (todo.length == 0) {
                return CompletableFuture.completedFuture(new F64Vector(out));
            }
            long remaining = 0;
            for (int g : todo) {
                remaining += upTo[g] - below[g];
            }
            boolean gather = rounds >= MAX_ROUNDS || remaining <= Math.max(small, perGroup * todo.length);
            rounds++;
            int buckets = buckets(todo.length, remaining);
            boolean shared = !shards.keyNames().isEmpty() && wholeRanges(todo);
            double[] scales = gather || !bucketsMayGo ? null : scales(todo, buckets, shared);
            if (scales != null) {
                Round round = new Round(a, bucketTable(todo, scales), 0, false, buckets, shared);
                return shards.ask(ctx, env, RankSelect.this, round).thenCompose(answers -> {
                    bucketsMayGo = narrowBuckets(answers, todo);
                    return step(ctx, env);
                });
            }
            long[][] at = gather ? null : pivotsOf(todo);
            Round round = new Round(a, table(todo, at), gather ? 0 : pivots, false);
            return shards.ask(ctx, env, RankSelect.this, round).thenCompose(answers -> {
                if (gather) {
                    pick(answers, todo);
                    return CompletableFuture.completedFuture(new F64Vector(out));
                }
                narrow(answers, todo, at);
                return step(ctx, env);
            });
        }

        /** For each group, {@code pivots} keys spread evenly over (lo, hi]: lo + ceil((hi - lo) * j / (pivots + 1)). */
        private long[][] pivotsOf(int[] todo) {
            long[][] at = new long[todo.length][pivots];
            BigInteger parts = BigInteger.valueOf(pivots + 1L);
            for (int i = 0; i < todo.length; i++) {
                int g = todo[i];
                BigInteger width = BigInteger.valueOf(hi[g]).subtract(BigInteger.valueOf(lo[g]));
                for (int j = 0; j < pivots; j++) {
                    BigInteger[] qr = width.multiply(BigInteger.valueOf(j + 1L)).divideAndRemainder(parts);
                    long step = qr[0].longValue() + (qr[1].signum() > 0 ? 1 : 0);
                    at[i][j] = lo[g] + step; // at most hi: no overflow
                }
            }
            return at;
        }

        /**
         * Buckets per open group this round: one per {@value #VALUES_PER_BUCKET} values still in the
         * ranges (so the shards' answers stay small beside the values), at least one more than the
         * pivots, at most {@value #BUCKETS} for one group or a share of {@value #BUCKETS_IN_ALL}.
         */
        private int buckets(int groupsOpen, long remaining) {
            long wanted = remaining / Math.max(1, groupsOpen) / VALUES_PER_BUCKET;
            return (int) Math.max(pivots + 1, Math.min(wanted, Math.min(BUCKETS, BUCKETS_IN_ALL / Math.max(1, groupsOpen))));
        }

        /**
         * Each open group's scale for a bucket round, buckets / (hi - lo) in values; null when the
         * values are not numbers the shards compute with (temporal, boolean) or a scale is not a
         * finite positive number (then the round counts below pivots).
         */
        private double[] scales(int[] todo, int k, boolean shared) {
            if (!(like instanceof F64Vector || like instanceof io.rayforce.cluster.client.value.F32Vector
                    || like instanceof I64Vector || like instanceof io.rayforce.cluster.client.value.I32Vector
                    || like instanceof io.rayforce.cluster.client.value.I16Vector)) {
                return null;
            }
            long least = Long.MAX_VALUE;
            long most = Long.MIN_VALUE;
            for (int g : todo) {
                least = Math.min(least, lo[g]);
                most = Math.max(most, hi[g]);
            }
            double[] out = new double[todo.length];
            for (int i = 0; i < todo.length; i++) {
                double width = SortableValues.number(like, shared ? most : hi[todo[i]])
                        - SortableValues.number(like, shared ? least : lo[todo[i]]);
                out[i] = k / width;
                if (!(width > 0) || !Double.isFinite(out[i]) || !(out[i] > 0)) {
                    return null;
                }
            }
            return out;
        }

        /** Whether every open group's range is still all its values (nothing narrowed yet). */
        private boolean wholeRanges(int[] todo) {
            for (int g : todo) {
                if (below[g] != 0 || upTo[g] != n[g]) {
                    return false;
                }
            }
            return true;
        }

        /** The open groups' keys, ranges and scales, the ranges typed as the values. */
        private RayTable bucketTable(int[] todo, double[] scales) {
            RayTable t = table(todo, null);
            List<String> names = new java.util.ArrayList<>(t.columnNames());
            List<Vector> cols = new java.util.ArrayList<>(t.columns());
            names.add(SCALE);
            cols.add(new F64Vector(scales));
            return RayTable.of(names, cols);
        }

        /**
         * New ranges from a bucket round: per group, the buckets' counts, least and greatest values
         * summed over the shards, in bucket order; the range becomes the least value of the bucket
         * holding the lower rank up to the greatest of the one holding the upper rank. A value's
         * bucket grows with the value, so exactly the values of those buckets are in it. Answers
         * whether some range got narrower.
         */
        private boolean narrowBuckets(List<RayTable> answers, int[] todo) {
            List<java.util.TreeMap<Long, long[]>> per = new java.util.ArrayList<>();
            for (int i = 0; i < todo.length; i++) {
                per.add(new java.util.TreeMap<>());
            }
            GroupIndex index = new GroupIndex(groups, shards.keyNames());
            for (RayTable t : answers) {
                int[] pos = positions(t, todo, index);
                Vector b = t.column(BUCKET);
                Vector c = t.column(BUCKET_COUNT);
                Vector mn = t.column(BUCKET_MIN);
                Vector mx = t.column(BUCKET_MAX);
                for (int r = 0; r < pos.length; r++) {
                    if (pos[r] < 0 || mn.isNull(r)) {
                        continue;
                    }
                    long count = ((I64Vector) c).get(r);
                    long least = SortableValues.key(mn, r);
                    long most = SortableValues.key(mx, r);
                    per.get(pos[r]).merge(((I64Vector) b).get(r), new long[] {count, least, most},
                            (x, y) -> new long[] {x[0] + y[0], Math.min(x[1], y[1]), Math.max(x[2], y[2])});
                }
            }
            boolean narrower = false;
            for (int i = 0; i < todo.length; i++) {
                int g = todo[i];
                long cum = below[g];
                long[] first = null;
                long newBelow = 0;
                long[] last = null;
                long newUpTo = 0;
                for (long[] bucket : per.get(i).values()) {
                    if (first == null && cum + bucket[0] > rankLo[g]) {
                        first = bucket;
                        newBelow = cum;
                    }
                    cum += bucket[0];
                    if (cum > rankHi[g]) {
                        last = bucket;
                        newUpTo = cum;
                        break;
                    }
                }
                if (first == null || last == null) {
                    throw new ClusterQueryError("the shards counted " + (cum - below[g]) + " values of " + a.output()
                            + " in a range that held " + (upTo[g] - below[g]));
                }
                narrower |= first[1] != lo[g] || last[2] != hi[g];
                lo[g] = first[1];
                hi[g] = last[2];
                below[g] = newBelow;
                upTo[g] = newUpTo;
                settleIfOneValue(g);
            }
            return narrower;
        }

        /** The open groups' keys, ranges and pivots, typed as the values. */
        private RayTable table(int[] todo, long[][] at) {
            RayTable.Builder b = RayTable.builder();
            for (String k : shards.keyNames()) {
                b.column(k, groups.column(k).gather(todo));
            }
            long[] los = new long[todo.length];
            long[] his = new long[todo.length];
            for (int i = 0; i < todo.length; i++) {
                los[i] = lo[todo[i]];
                his[i] = hi[todo[i]];
            }
            b.column(LO, SortableValues.vector(like, los)).column(HI, SortableValues.vector(like, his));
            for (int j = 0; at != null && j < pivots; j++) {
                long[] p = new long[todo.length];
                for (int i = 0; i < todo.length; i++) {
                    p[i] = at[i][j];
                }
                b.column(pivot(j), SortableValues.vector(like, p));
            }
            return b.build();
        }

        /** Each open group's position in {@code todo}, found from the keys of a shard's answer row. */
        private int[] positions(RayTable answer, int[] todo, GroupIndex index) {
            int[] posOf = new int[open.length];
            Arrays.fill(posOf, -1);
            for (int i = 0; i < todo.length; i++) {
                posOf[todo[i]] = i;
            }
            int[] out = new int[answer.rowCount()];
            for (int r = 0; r < out.length; r++) {
                int g = index.of(answer, r);
                out[r] = g < 0 ? -1 : posOf[g];
            }
            return out;
        }

        /** New ranges from the counts below each pivot, summed over the shards. */
        private void narrow(List<RayTable> answers, int[] todo, long[][] at) {
            long[][] counts = new long[todo.length][pivots];
            GroupIndex index = new GroupIndex(groups, shards.keyNames());
            for (RayTable t : answers) {
                int[] pos = positions(t, todo, index);
                for (int j = 0; j < pivots; j++) {
                    I64Vector c = (I64Vector) t.column(count(j));
                    for (int r = 0; r < pos.length; r++) {
                        if (pos[r] >= 0) {
                            counts[pos[r]][j] += c.get(r);
                        }
                    }
                }
            }
            for (int i = 0; i < todo.length; i++) {
                int g = todo[i];
                long newLo = lo[g];
                long newBelow = below[g];
                long newHi = hi[g];
                long newUpTo = upTo[g];
                for (int j = 0; j < pivots; j++) {
                    long under = below[g] + counts[i][j]; // values below pivot j
                    if (under <= rankLo[g] && at[i][j] > newLo) {
                        newLo = at[i][j];
                        newBelow = under;
                    }
                    if (under > rankHi[g] && at[i][j] - 1 < newHi) {
                        newHi = at[i][j] - 1;
                        newUpTo = under;
                    }
                }
                lo[g] = newLo;
                below[g] = newBelow;
                hi[g] = newHi;
                upTo[g] = newUpTo;
                settleIfOneValue(g);
            }
        }

        /** The values at the ranks, from the values the shards sent of each open range. */
        private void pick(List<RayTable> answers, int[] todo) {
            long[][] keys = new long[todo.length][];
            int[] filled = new int[todo.length];
            for (int i = 0; i < todo.length; i++) {
                long size = upTo[todo[i]] - below[todo[i]];
                keys[i] = new long[(int) size];
            }
            GroupIndex index = new GroupIndex(groups, shards.keyNames());
            for (RayTable t : answers) {
                Vector col = t.column(VALUES);
                if (shards.keyNames().isEmpty()) {
                    filled[0] = add(keys, filled, 0, col);
                    continue;
                }
                int[] pos = positions(t, todo, index);
                for (int r = 0; r < pos.length; r++) {
                    if (pos[r] >= 0) {
                        RayValue item = col instanceof RayList l ? l.get(r) : null;
                        Vector values = item == null ? col.slice(r, r + 1) : item instanceof Vector v ? v : Vectors.of(item);
                        filled[pos[r]] = add(keys, filled, pos[r], values);
                    }
                }
            }
            for (int i = 0; i < todo.length; i++) {
                int g = todo[i];
                if (filled[i] != keys[i].length) {
                    throw new ClusterQueryError("the shards sent " + filled[i] + " values of " + a.output() + " in a range that held "
                            + keys[i].length);
                }
                Arrays.sort(keys[i]);
                double vLo = SortableValues.number(like, keys[i][(int) (rankLo[g] - below[g])]);
                double vHi = SortableValues.number(like, keys[i][(int) (rankHi[g] - below[g])]);
                out[g] = rule.finish(a, n[g], vLo, vHi);
                open[g] = false;
            }
        }

        private int add(long[][] keys, int[] filled, int i, Vector values) {
            int f = filled[i];
            for (int k = 0; k < values.length(); k++) {
                if (values.isNull(k)) {
                    continue;
                }
                if (f == keys[i].length) {
                    throw new ClusterQueryError("the shards sent more values of " + a.output() + " than its range held");
                }
                keys[i][f++] = SortableValues.key(values, k);
            }
            return f;
        }
    }

    @Override
    public String describe() {
        return "RankSelect " + ranked + " over " + shards.describe() + ": counts in up to " + BUCKETS
                + " buckets of numbers (else below " + pivots + " pivots) per open group a round, then the values once at most "
                + perGroup + " per group (or " + small + " in all) remain";
    }

    @Override
    public List<Plan> inputs() {
        return List.of(input);
    }
}
