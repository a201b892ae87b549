package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.merge.Vectors;
import io.rayforce.cluster.router.plan.aggregate.Aggregate;
import io.rayforce.cluster.router.plan.aggregate.AggregateRules;
import io.rayforce.cluster.router.plan.aggregate.Ranked;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The distributed selection on hand-built shards: each shard a table of a group key {@code k}
 * and values {@code x}, answered in memory as an engine would answer the rounds (counts below
 * the pivots of each open group, or the values left in its range). The values found equal the
 * order statistics of all the values, in a bounded number of rounds, moving few values.
 */
class RankSelectTest {
    private static final Aggregate MEDIAN = aggregate("m", new Call("med", List.of(Column.of("x"))));

    private static Aggregate aggregate(String output, Expr call) {
        return AggregateRules.recognize(output, call);
    }

    private static Aggregate quantile(double q) {
        return aggregate("q", new Call("quantile", List.of(Column.of("x"), new Literal(F64Atom.of(q)))));
    }

    /** The shards in memory: answers rounds as the engine would, and remembers them. */
    static final class MemoryShards implements RankSelect.Shards {
        final List<RayTable> shards;
        final List<String> keys;
        final List<RankSelect.Round> rounds = new ArrayList<>();
        long valuesSent;

        MemoryShards(List<String> keys, RayTable... shards) {
            this.keys = keys;
            this.shards = List.of(shards);
        }

        @Override
        public CompletableFuture<List<RayTable>> ask(QueryContext ctx, PlanEnv env, Plan step, RankSelect.Round round) {
            rounds.add(round);
            if (round.engine()) {
                return CompletableFuture.failedFuture(new ClusterQueryError("type"));
            }
            RayTable groups = round.groups();
            GroupIndex index = new GroupIndex(groups, keys);
            Vector lo = groups.column(RankSelect.LO);
            Vector hi = groups.column(RankSelect.HI);
            List<RayTable> answers = new ArrayList<>();
            for (RayTable shard : shards) {
                Vector x = shard.column("x");
                // per open group: the values of this shard in its range
                Map<Integer, List<Integer>> rows = new LinkedHashMap<>();
                for (int r = 0; r < shard.rowCount(); r++) {
                    int g = index.of(shard, r);
                    if (g < 0 || x.isNull(r)) {
                        continue;
                    }
                    long v = SortableValues.key(x, r);
                    if (v >= SortableValues.key(lo, g) && v <= SortableValues.key(hi, g)) {
                        rows.computeIfAbsent(g, k -> new ArrayList<>()).add(r);
                    }
                }
                if (round.buckets() > 0) {
                    answers.add(buckets(round, shard, x, rows));
                    continue;
                }
                RayTable.Builder b = RayTable.builder();
                int[] groupRows = rows.keySet().stream().mapToInt(Integer::intValue).toArray();
                for (String k : keys) {
                    b.column(k, groups.column(k).gather(groupRows));
                }
                if (round.pivots() == 0) {
                    List<RayValue> values = new ArrayList<>();
                    for (List<Integer> rs : rows.values()) {
                        values.add(x.gather(rs.stream().mapToInt(Integer::intValue).toArray()));
                        valuesSent += rs.size();
                    }
                    if (keys.isEmpty()) {
                        b.column(RankSelect.VALUES, values.isEmpty() ? x.slice(0, 0) : (Vector) values.get(0));
                    } else {
                        b.column(RankSelect.VALUES, RayList.of(values));
                    }
                } else {
                    for (int j = 0; j < round.pivots(); j++) {
                        Vector p = groups.column(RankSelect.pivot(j));
                        long[] c = new long[groupRows.length];
                        int i = 0;
                        for (Map.Entry<Integer, List<Integer>> e : rows.entrySet()) {
                            for (int r : e.getValue()) {
                                c[i] += SortableValues.key(x, r) < SortableValues.key(p, e.getKey()) ? 1 : 0;
                            }
                            i++;
                        }
                        b.column(RankSelect.count(j), new I64Vector(c));
                    }
                }
                answers.add(b.build());
            }
            return CompletableFuture.completedFuture(answers);
        }

        /** A bucket round's answer: per group and bucket ((x - lo) * scale, floored), the count, least and greatest value. */
        private RayTable buckets(RankSelect.Round round, RayTable shard, Vector x, Map<Integer, List<Integer>> rows) {
            RayTable groups = round.groups();
            Vector lo = groups.column(RankSelect.LO);
            F64Vector scale = (F64Vector) groups.column(RankSelect.SCALE);
            List<Integer> outGroup = new ArrayList<>();
            List<Long> outBucket = new ArrayList<>();
            List<Long> outCount = new ArrayList<>();
            List<Integer> outMin = new ArrayList<>();
            List<Integer> outMax = new ArrayList<>();
            for (Map.Entry<Integer, List<Integer>> e : rows.entrySet()) {
                int g = e.getKey();
                // a shared round buckets every group from the least of the ranges, as the shards do
                long from = SortableValues.key(lo, g);
                for (int i = 0; round.shared() && i < lo.length(); i++) {
                    from = Math.min(from, SortableValues.key(lo, i));
                }
                double base = SortableValues.number(lo, from);
                java.util.TreeMap<Long, int[]> byBucket = new java.util.TreeMap<>(); // bucket -> count, min row, max row
                for (int r : e.getValue()) {
                    long k = SortableValues.key(x, r);
                    long bucket = (long) Math.floor((SortableValues.number(x, k) - base) * scale.get(g));
                    int[] acc = byBucket.computeIfAbsent(bucket, q -> new int[] {0, r, r});
                    acc[0]++;
                    acc[1] = k < SortableValues.key(x, acc[1]) ? r : acc[1];
                    acc[2] = k > SortableValues.key(x, acc[2]) ? r : acc[2];
                }
                byBucket.forEach((bucket, acc) -> {
                    outGroup.add(g);
                    outBucket.add(bucket);
                    outCount.add((long) acc[0]);
                    outMin.add(acc[1]);
                    outMax.add(acc[2]);
                });
            }
            RayTable.Builder b = RayTable.builder();
            int[] groupRows = outGroup.stream().mapToInt(Integer::intValue).toArray();
            for (String k : keys) {
                b.column(k, groups.column(k).gather(groupRows));
            }
            return b.column(RankSelect.BUCKET, new I64Vector(outBucket.stream().mapToLong(Long::longValue).toArray()))
                    .column(RankSelect.BUCKET_COUNT, new I64Vector(outCount.stream().mapToLong(Long::longValue).toArray()))
                    .column(RankSelect.BUCKET_MIN, x.gather(outMin.stream().mapToInt(Integer::intValue).toArray()))
                    .column(RankSelect.BUCKET_MAX, x.gather(outMax.stream().mapToInt(Integer::intValue).toArray())).build();
        }

        @Override
        public List<String> keyNames() {
            return keys;
        }

        @Override
        public String describe() {
            return "memory";
        }
    }

    /** The combined groups: the keys, and each aggregate's (count, min, max) per group, from all shards' values. */
    private static RayTable combined(List<String> keys, Vector groupKeys, List<Aggregate> aggs, RayTable... shards) {
        RayTable.Builder b = RayTable.builder();
        if (!keys.isEmpty()) {
            b.column(keys.get(0), groupKeys);
        }
        int groups = keys.isEmpty() ? 1 : groupKeys.length();
        for (Aggregate a : aggs) {
            RayValue[] states = new RayValue[groups];
            for (int g = 0; g < groups; g++) {
                Vector values = valuesOf(keys, groupKeys, g, shards);
                if (values.length() == 0) {
                    states[g] = RayList.of(I64Atom.of(0));
                    continue;
                }
                int lo = 0;
                int hi = 0;
                for (int i = 0; i < values.length(); i++) {
                    lo = SortableValues.key(values, i) < SortableValues.key(values, lo) ? i : lo;
                    hi = SortableValues.key(values, i) > SortableValues.key(values, hi) ? i : hi;
                }
                states[g] = RayList.of(I64Atom.of(values.length()), values.at(lo), values.at(hi));
            }
            b.column(a.output(), RayList.of(states));
        }
        return b.build();
    }

    /** The non-null values of group {@code g} over all shards. */
    private static Vector valuesOf(List<String> keys, Vector groupKeys, int g, RayTable... shards) {
        List<RayTable> parts = new ArrayList<>();
        for (RayTable s : shards) {
            List<Integer> rows = new ArrayList<>();
            for (int r = 0; r < s.rowCount(); r++) {
                boolean in = keys.isEmpty() || io.rayforce.cluster.router.merge.ValueOrder.same(s.column(keys.get(0)), r, groupKeys, g);
                if (in && !s.column("x").isNull(r)) {
                    rows.add(r);
                }
            }
            parts.add(RayTable.of(List.of("x"), List.of(s.column("x").gather(rows.stream().mapToInt(Integer::intValue).toArray()))));
        }
        return new io.rayforce.cluster.router.merge.Parts(parts).all().column(0);
    }

    /** The aggregate over the values directly: sorted, the values at its ranks. */
    private static double direct(Aggregate a, Vector values) {
        if (values.length() == 0) {
            return Nulls.F64;
        }
        long[] keys = new long[values.length()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = SortableValues.key(values, i);
        }
        Arrays.sort(keys);
        Ranked r = (Ranked) a.rule();
        long[] at = r.ranks(a, keys.length);
        return r.finish(a, keys.length, SortableValues.number(values, keys[(int) at[0]]), SortableValues.number(values, keys[(int) at[1]]));
    }

    private static RayTable shard(Vector k, Vector x) {
        return RayTable.builder().column("k", k).column("x", x).build();
    }

    private static RayTable run(RankSelect plan) {
        return (RayTable) plan.run(new QueryContext(ClusterSnapshot.empty(), null, false), null).join();
    }

    @Test
    void anUngroupedMedianOfManyValuesTakesSeveralRoundsAndMovesFewValues() {
        for (boolean numbers : new boolean[] {true, false}) {
            SplittableRandom r = new SplittableRandom(7);
            RayTable[] shards = new RayTable[3];
            for (int s = 0; s < 3; s++) {
                long[] x = new long[20_000];
                for (int i = 0; i < x.length; i++) {
                    x[i] = i % 97 == 0 ? Nulls.I64 : r.nextLong(-1_000_000_000_000L, 1_000_000_000_000L);
                }
                String[] k = new String[x.length];
                Arrays.fill(k, "");
                // numbers go into buckets; timestamps are counted below pivots
                shards[s] = shard(new SymbolVector(k), numbers ? new I64Vector(x) : new TimestampVector(x));
            }
            MemoryShards memory = new MemoryShards(List.of(), shards);
            RayTable input = combined(List.of(), null, List.of(MEDIAN), shards);
            RayTable got = run(new RankSelect(new Fixed(input), List.of(MEDIAN), memory, 31, 64, 64));
            assertThat(((F64Vector) got.column("m")).get(0)).isEqualTo(direct(MEDIAN, valuesOf(List.of(), null, 0, shards)));
            assertThat(memory.valuesSent).isLessThanOrEqualTo(64);
            if (numbers) {
                assertThat(memory.rounds.size()).isBetween(2, 4);
                assertThat(memory.rounds.get(0).buckets()).isGreaterThan(31);
            } else {
                assertThat(memory.rounds.size()).isBetween(3, 8);
                assertThat(memory.rounds.get(0).pivots()).isEqualTo(31);
                assertThat(memory.rounds).allMatch(round -> round.buckets() == 0);
            }
            assertThat(memory.rounds.get(memory.rounds.size() - 1).pivots()).isZero();
            assertThat(memory.rounds.get(memory.rounds.size() - 1).buckets()).isZero();
        }
    }

    @Test
    void uniformNumbersShrinkByAboutTheBucketsCountARound() {
        // px-like values: 60,000 uniform in [0, 1000); a bucket round cuts the range about as many times as it has buckets
        SplittableRandom r = new SplittableRandom(11);
        RayTable[] shards = new RayTable[3];
        for (int s = 0; s < 3; s++) {
            double[] x = new double[20_000];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextDouble() * 1000;
            }
            String[] k = new String[x.length];
            Arrays.fill(k, "");
            shards[s] = shard(new SymbolVector(k), new F64Vector(x));
        }
        for (Aggregate a : List.of(MEDIAN, quantile(0.9))) {
            MemoryShards memory = new MemoryShards(List.of(), shards);
            RayTable input = combined(List.of(), null, List.of(a), shards);
            RayTable got = run(new RankSelect(new Fixed(input), List.of(a), memory, 31, 64, 64));
            assertThat(((F64Vector) got.column(a.output())).get(0)).isEqualTo(direct(a, valuesOf(List.of(), null, 0, shards)));
            // a bucket round (60,000 values in 234 buckets: about 256 in the wanted one), another (in 32), then the values
            assertThat(memory.rounds.size()).as("rounds of %s", a.output()).isBetween(2, 3);
            assertThat(memory.rounds.get(0).buckets()).isEqualTo(60_000 / RankSelect.VALUES_PER_BUCKET);
            assertThat(memory.valuesSent).isLessThanOrEqualTo(200);
        }
    }

    @Test
    void fewValuesAreGatheredAtOnce() {
        RayTable a = shard(SymbolVector.of("a", "b", "a"), F64Vector.of(3.5, -1, 2));
        RayTable b = shard(SymbolVector.of("b", "a"), F64Vector.of(8, Nulls.F64));
        MemoryShards memory = new MemoryShards(List.of("k"), a, b);
        Aggregate q = quantile(0.25);
        RayTable input = combined(List.of("k"), SymbolVector.of("a", "b"), List.of(MEDIAN, q), a, b);
        RayTable got = run(new RankSelect(new Fixed(input), List.of(MEDIAN, q), memory));
        assertThat(got.column("m")).isEqualTo(F64Vector.of(2.75, 3.5));
        assertThat(((F64Vector) got.column("q")).get(0)).isEqualTo(2.375);
        assertThat(memory.rounds).hasSize(2).allMatch(round -> round.pivots() == 0);
        assertThat(got.column("k")).isEqualTo(SymbolVector.of("a", "b"));
    }

    @Test
    void skewedGroupsExtremesAndRepeatsAreExact() {
        SplittableRandom r = new SplittableRandom(11);
        List<String> k = new ArrayList<>();
        List<Double> x = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            k.add("big");
            x.add(i % 5 == 0 ? -0.0 : r.nextGaussian() * 1e-300);
        }
        for (double v : new double[] {-1.7e308, 1.7e308, 0.0, 5}) {
            k.add("wide");
            x.add(v);
        }
        for (int i = 0; i < 5_000; i++) {
            k.add("same");
            x.add(42.0);
        }
        k.add("nulls");
        x.add(Nulls.F64);
        k.add("one");
        x.add(-3.0);
        RayTable[] shards = new RayTable[4];
        for (int s = 0; s < 4; s++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = s; i < k.size(); i += 4) {
                rows.add(i);
            }
            shards[s] = shard(new SymbolVector(rows.stream().map(k::get).toArray(String[]::new)),
                    new F64Vector(rows.stream().mapToDouble(x::get).toArray()));
        }
        Vector groups = SymbolVector.of("big", "wide", "same", "nulls", "one");
        for (Aggregate a : List.of(MEDIAN, quantile(0.9), quantile(0.0), quantile(1.0))) {
            MemoryShards memory = new MemoryShards(List.of("k"), shards);
            RayTable got = run(new RankSelect(new Fixed(combined(List.of("k"), groups, List.of(a), shards)), List.of(a), memory, 31, 32,
                    64));
            F64Vector col = (F64Vector) got.column(a.output());
            for (int g = 0; g < groups.length(); g++) {
                double expected = direct(a, valuesOf(List.of("k"), groups, g, shards));
                assertThat(Double.compare(col.get(g), expected)).as("%s of %s: %s vs %s", a, groups.at(g), col.get(g), expected).isZero();
            }
            assertThat(memory.rounds.size()).isLessThanOrEqualTo(RankSelect.MAX_ROUNDS + 1);
            assertThat(memory.valuesSent).isLessThanOrEqualTo(5 * 64);
        }
    }

    @Test
    void groupsWhoseValuesAreOneValueNeedNoRound() {
        RayTable a = shard(SymbolVector.of("a", "a", "b"), I64Vector.of(4, 4, Nulls.I64));
        MemoryShards memory = new MemoryShards(List.of("k"), a);
        RayTable got = run(new RankSelect(new Fixed(combined(List.of("k"), SymbolVector.of("a", "b"), List.of(MEDIAN), a)),
                List.of(MEDIAN), memory));
        assertThat(((F64Vector) got.column("m")).get(0)).isEqualTo(4.0);
        assertThat(((F64Vector) got.column("m")).isNull(1)).isTrue();
        assertThat(memory.rounds).isEmpty();
    }

    @Test
    void valuesWithoutAnOrderAreLeftToTheEngine() {
        RayTable input = RayTable.builder().column("m", RayList.of(RayList.of(I64Atom.of(2), Vectors.of(
                io.rayforce.cluster.client.value.Symbol.of("a")).at(0), SymbolVector.of("b").at(0)))).build();
        MemoryShards memory = new MemoryShards(List.of());
        assertThatThrownBy(() -> run(new RankSelect(new Fixed(input), List.of(MEDIAN), memory))).hasMessageContaining("type");
        assertThat(memory.rounds).singleElement().matches(RankSelect.Round::engine);
    }

    @Test
    void finishedColumnsPassThrough() {
        RayTable none = RayTable.builder().column("m", F64Vector.of()).build();
        assertThat(run(new RankSelect(new Fixed(none), List.of(MEDIAN), new MemoryShards(List.of())))).isEqualTo(none);
        RayTable noGroups = RayTable.builder().column("k", SymbolVector.of()).column("m", RayList.EMPTY).build();
        assertThat(run(new RankSelect(new Fixed(noGroups), List.of(MEDIAN), new MemoryShards(List.of("k")))).column("m"))
                .isEqualTo(F64Vector.of());
    }

    @Test
    void explainNamesTheAggregatesAndTheRule() {
        RankSelect plan = new RankSelect(new Fixed(null), List.of(MEDIAN), new MemoryShards(List.of()));
        assertThat(plan.explain()).isEqualTo("RankSelect [m=MEDIAN] over memory: counts in up to 1024 buckets of numbers (else "
                + "below 31 pivots) per open group a round, then the values once at most 256 per group (or 4096 in all) remain\n  Fixed");
    }

    /** Random i64 values in random groups and shards: every quantile equals the one of all the values. */
    @Property(tries = 60)
    void everyQuantileIsTheOneOfAllTheValues(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] names = {"a", "b", "c", "d"};
        int shardCount = 1 + r.nextInt(5);
        long spread = new long[] {3, 1000, Long.MAX_VALUE / 2}[r.nextInt(3)];
        RayTable[] shards = new RayTable[shardCount];
        for (int s = 0; s < shardCount; s++) {
            int n = r.nextInt(3000);
            String[] k = new String[n];
            long[] x = new long[n];
            for (int i = 0; i < n; i++) {
                k[i] = names[(int) Math.min(names.length - 1, Math.floor(Math.pow(r.nextDouble(), 3) * names.length))];
                x[i] = r.nextInt(10) == 0 ? Nulls.I64 : r.nextLong(-spread, spread);
            }
            shards[s] = shard(new SymbolVector(k), new I64Vector(x));
        }
        Aggregate a = r.nextBoolean() ? MEDIAN : quantile(r.nextDouble());
        Vector groups = SymbolVector.of(names);
        MemoryShards memory = new MemoryShards(List.of("k"), shards);
        RayTable got = run(new RankSelect(new Fixed(combined(List.of("k"), groups, List.of(a), shards)), List.of(a), memory, 7, 8, 16));
        for (int g = 0; g < names.length; g++) {
            double expected = direct(a, valuesOf(List.of("k"), groups, g, shards));
            double value = ((F64Vector) got.column(a.output())).get(g);
            assertThat(Double.compare(value, expected)).as("seed %d group %s: %s vs %s", seed, names[g], value, expected).isZero();
        }
        assertThat(memory.rounds.size()).isLessThanOrEqualTo(RankSelect.MAX_ROUNDS + 1);
    }
}
