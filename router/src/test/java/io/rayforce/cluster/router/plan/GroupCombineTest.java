package io.rayforce.cluster.router.plan;

import static io.rayforce.cluster.router.plan.EngineModel.aggregate;
import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.router.plan.aggregate.Aggregate;
import io.rayforce.cluster.router.testing.SameAnswer;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Grouped partials from several shards combined into one server's groups. */
class GroupCombineTest {
    private static final Aggregate SUM = aggregate("s", "sum", "x");
    private static final Aggregate COUNT = aggregate("n", "count", "x");
    private static final RayTable EMPTY = RayTable.builder().column("sym", SymbolVector.of()).column("s", I64Vector.of())
            .column("n", I64Vector.of()).build();

    /** One shard's grouped partials of {@code s: (sum x) n: (count x) by: sym}. */
    private static RayTable shard(String[] syms, long[] sums, long[] counts, long[] first) {
        return RayTable.builder().column("sym", SymbolVector.of(syms)).column("s", I64Vector.of(sums))
                .column("n", I64Vector.of(counts)).column(Hidden.FIRST_SEQ, I64Vector.of(first)).build();
    }

    private static RayTable combine(RayTable... shards) {
        return new GroupCombine(null, List.of("sym"), List.of(SUM, COUNT), EMPTY).merge(List.of(shards));
    }

    private static RayTable answer(String[] syms, long[] sums, long[] counts) {
        return RayTable.builder().column("sym", SymbolVector.of(syms)).column("s", I64Vector.of(sums))
                .column("n", I64Vector.of(counts)).build();
    }

    @Test
    void equalKeysAcrossShardsFormOneGroup() {
        RayTable got = combine(
                shard(new String[] {"a", "b"}, new long[] {1, 2}, new long[] {1, 1}, new long[] {0, 1}),
                shard(new String[] {"b", "a", "c"}, new long[] {10, 20, 30}, new long[] {2, 2, 3}, new long[] {2, 4, 3}));
        assertThat(got).isEqualTo(answer(new String[] {"a", "b", "c"}, new long[] {21, 12, 30}, new long[] {3, 3, 3}));
    }

    @Test
    void keptFirstRowsAreEachGroupsSmallest() {
        RayTable got = new GroupCombine(null, List.of("sym"), List.of(SUM, COUNT), java.util.Set.of(Hidden.FIRST_SEQ), EMPTY).merge(List.of(
                shard(new String[] {"a", "b"}, new long[] {1, 2}, new long[] {1, 1}, new long[] {5, 1}),
                shard(new String[] {"b", "a"}, new long[] {10, 20}, new long[] {2, 2}, new long[] {2, 4})));
        assertThat(got.column("sym")).isEqualTo(SymbolVector.of("b", "a"));
        assertThat(got.column(Hidden.FIRST_SEQ)).isEqualTo(I64Vector.of(1, 4));
    }

    @Test
    void anAnswerWithoutFirstRowsLeavesTheOrderOfTheAnswersAndNoFirstRows() {
        RayTable without = answer(new String[] {"c", "a"}, new long[] {3, 4}, new long[] {1, 1});
        RayTable got = new GroupCombine(null, List.of("sym"), List.of(SUM, COUNT), java.util.Set.of(Hidden.FIRST_SEQ), EMPTY).merge(List.of(
                shard(new String[] {"a", "b"}, new long[] {1, 2}, new long[] {1, 1}, new long[] {5, 1}), without));
        assertThat(got).isEqualTo(answer(new String[] {"a", "b", "c"}, new long[] {5, 2, 3}, new long[] {2, 1, 1}));
    }

    @Test
    void noAnswersGiveTheEmptyTable() {
        assertThat(Fixed.run(new GroupCombine(Fixed.answers(), List.of("sym"), List.of(SUM, COUNT), EMPTY))).isSameAs(EMPTY);
    }

    @Test
    void oneShardIsItsOwnAnswerWithoutHiddenColumns() {
        RayTable got = combine(shard(new String[] {"b", "a"}, new long[] {5, 6}, new long[] {1, 2}, new long[] {0, 3}));
        assertThat(got).isEqualTo(answer(new String[] {"b", "a"}, new long[] {5, 6}, new long[] {1, 2}));
    }

    @Test
    void shardsWithNoGroupsAddNothing() {
        RayTable none = shard(new String[0], new long[0], new long[0], new long[0]);
        RayTable got = combine(none, shard(new String[] {"a"}, new long[] {5}, new long[] {1}, new long[] {7}), none);
        assertThat(got).isEqualTo(answer(new String[] {"a"}, new long[] {5}, new long[] {1}));
    }

    @Test
    void groupsComeInOrderOfFirstAppearanceInTheDataNotShardOrder() {
        RayTable got = combine(
                shard(new String[] {"b", "a"}, new long[] {1, 1}, new long[] {1, 1}, new long[] {5, 9}),
                shard(new String[] {"c", "a"}, new long[] {1, 1}, new long[] {1, 1}, new long[] {7, 2}),
                shard(new String[] {"d"}, new long[] {1}, new long[] {1}, new long[] {0}));
        assertThat(((SymbolVector) got.column("sym")).toList()).containsExactly("d", "a", "b", "c");
    }

    @Test
    void nullKeysEqualNullKeysAcrossShards() {
        RayTable got = combine(
                shard(new String[] {"", "a"}, new long[] {1, 2}, new long[] {1, 1}, new long[] {0, 1}),
                shard(new String[] {""}, new long[] {10}, new long[] {4}, new long[] {2}));
        assertThat(got).isEqualTo(answer(new String[] {"", "a"}, new long[] {11, 2}, new long[] {5, 1}));

        // an i64 key's null, and a second key column
        Aggregate s = aggregate("s", "sum", "x");
        RayTable empty = RayTable.builder().column("j", I64Vector.of()).column("k", SymbolVector.of()).column("s", I64Vector.of())
                .build();
        GroupCombine byTwo = new GroupCombine(null, List.of("j", "k"), List.of(s), empty);
        RayTable a = RayTable.builder().column("j", I64Vector.of(Nulls.I64, 1, Nulls.I64)).column("k", SymbolVector.of("x", "x", ""))
                .column("s", I64Vector.of(1, 2, 3)).column(Hidden.FIRST_SEQ, I64Vector.of(0, 1, 2)).build();
        RayTable b = RayTable.builder().column("j", I64Vector.of(Nulls.I64, Nulls.I64, 1)).column("k", SymbolVector.of("", "x", "y"))
                .column("s", I64Vector.of(10, 20, 30)).column(Hidden.FIRST_SEQ, I64Vector.of(3, 4, 5)).build();
        assertThat(byTwo.merge(List.of(a, b))).isEqualTo(RayTable.builder()
                .column("j", I64Vector.of(Nulls.I64, 1, Nulls.I64, 1)).column("k", SymbolVector.of("x", "x", "", "y"))
                .column("s", I64Vector.of(21, 2, 13, 30)).build());
    }

    @Test
    void negativeZeroAndZeroAreOneKeyAsOnOneServer() {
        // one engine groups 0.0 and -0.0 together: (select {n: (count x) by: k from: t}) with k [0.0 -0.0 1.0] has two groups
        Aggregate n = aggregate("n", "count", "x");
        RayTable empty = RayTable.builder().column("k", F64Vector.of()).column("n", I64Vector.of()).build();
        RayTable a = RayTable.builder().column("k", F64Vector.of(0.0, 1.0)).column("n", I64Vector.of(1, 1))
                .column(Hidden.FIRST_SEQ, I64Vector.of(0, 2)).build();
        RayTable b = RayTable.builder().column("k", F64Vector.of(-0.0)).column("n", I64Vector.of(1))
                .column(Hidden.FIRST_SEQ, I64Vector.of(1)).build();
        RayTable got = new GroupCombine(null, List.of("k"), List.of(n), empty).merge(List.of(a, b));
        assertThat(got.rowCount()).isEqualTo(2);
        assertThat(got.column("n")).isEqualTo(I64Vector.of(2, 1));
    }

    @Test
    void i64SumsWrapAroundAsTheEnginesDo() {
        RayTable got = combine(
                shard(new String[] {"a", "b"}, new long[] {Long.MAX_VALUE, Long.MIN_VALUE + 1}, new long[] {1, 1}, new long[] {0, 1}),
                shard(new String[] {"a", "b"}, new long[] {2, -3}, new long[] {1, 1}, new long[] {2, 3}));
        assertThat(got.column("s")).isEqualTo(I64Vector.of(Long.MIN_VALUE + 1, Long.MAX_VALUE - 1));
    }

    @Test
    void theVisibleColumnsKeepTheShardsOrder() {
        RayTable a = RayTable.builder().column("s", I64Vector.of(1)).column(Hidden.FIRST_SEQ, I64Vector.of(0))
                .column("sym", SymbolVector.of("a")).build();
        RayTable got = new GroupCombine(null, List.of("sym"), List.of(SUM), EMPTY).merge(List.of(a, a));
        assertThat(got.columnNames()).containsExactly("s", "sym");
        assertThat(got.column("s")).isEqualTo(I64Vector.of(2));
    }

    @Test
    void runCombinesWhatItsInputAnswers() {
        RayTable a = shard(new String[] {"a"}, new long[] {1}, new long[] {1}, new long[] {0});
        GroupCombine plan = new GroupCombine(Fixed.answers(a, a), List.of("sym"), List.of(SUM, COUNT), EMPTY);
        assertThat(Fixed.run(plan)).isEqualTo(answer(new String[] {"a"}, new long[] {2}, new long[] {2}));
    }

    @Test
    void explainNamesKeysAndRules() {
        GroupCombine plan = new GroupCombine(new Fixed(null), List.of("sym", "side"), List.of(SUM, COUNT), EMPTY);
        assertThat(plan.explain()).isEqualTo("GroupCombine by [sym, side] [s=SUM, n=COUNT] in first-appearance order\n  Fixed");
    }

    static final List<Aggregate> EVERY_RULE = List.of(aggregate("s", "sum", "x"), aggregate("sw", "sum", "w"), aggregate("sy", "sum", "y"),
            aggregate("c", "count", "y"), aggregate("mn", "min", "x"), aggregate("mx", "max", "y"),
            aggregate("a", "avg", "y"), aggregate("ax", "avg", "x"), aggregate("f", "first", "x"), aggregate("l", "last", "y"),
            aggregate("v", "var", "y"), aggregate("vp", "var_pop", "y"), aggregate("sd", "stddev", "y"),
            aggregate("dv", "dev", "y"),
            aggregate("dc", "count_distinct", "x"), aggregate("dy", "count_distinct", "y"));

    /**
     * Random tables split into random shards: each shard's grouped partials (as the engine
     * computes them) combined by GroupCombine and the rules equal the grouped select computed
     * directly over the whole table, groups in first-appearance order.
     */
    @Property(tries = 150)
    void combinedShardGroupsEqualTheWholeTablesGroups(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        RayTable whole = EngineModel.randomTable(r, 1 + r.nextInt(60));
        List<String> keys = r.nextBoolean() ? List.of("k") : List.of("k", "j");
        List<RayTable> parts = EngineModel.split(whole, 1 + r.nextInt(6), r).stream()
                .map(p -> EngineModel.groupedPartials(p, keys, EVERY_RULE)).toList();
        RayTable expected = EngineModel.direct(whole, keys, EVERY_RULE);
        RayTable got = new GroupCombine(null, keys, EVERY_RULE, null).merge(parts);
        SameAnswer.assertSame("seed " + seed, expected, got);
    }
}
