package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.rayfall.RayfallPrinter;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.router.plan.aggregate.Aggregate;
import io.rayforce.cluster.router.plan.aggregate.AggregateRules;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The requests the shards get after a combine: rank rounds (per group through a join on the keys) and value counts. */
class AggregateSourceTest {
    private static final Expr WHERE = new Call(">", List.of(Column.of("qty"), new Literal(I64Atom.of(0))));
    private static final Aggregate MEDIAN = AggregateRules.recognize("m", new Call("med", List.of(Column.of("px"))));
    private static final Aggregate MODE = AggregateRules.recognize("o", new Call("mode", List.of(Column.of("qty"))));

    private static String text(io.rayforce.cluster.client.value.RayValue v) {
        return RayfallPrinter.print(v);
    }

    @Test
    void anUngroupedRoundCountsBelowLiteralPivotsInTheRange() {
        AggregateSource src = new AggregateSource("t", new int[] {0, 1}, WHERE, List.of());
        RayTable groups = RayTable.builder().column(RankSelect.LO, F64Vector.of(1.5)).column(RankSelect.HI, F64Vector.of(9.0))
                .column(RankSelect.pivot(0), F64Vector.of(4.0)).column(RankSelect.pivot(1), F64Vector.of(6.5)).build();
        assertThat(text(src.request("t__s0", new RankSelect.Round(MEDIAN, groups, 2, false)))).isEqualTo(
                "(select {__c0: (sum (< __x 4.0)) __c1: (sum (< __x 6.5)) from: (select {__x: px from: t__s0 where: "
                        + "(and (> qty 0) (and (>= px 1.5) (<= px 9.0)))})})");
        assertThat(text(src.request("t__s0", new RankSelect.Round(MEDIAN, groups, 0, false)))).isEqualTo(
                "(select {__v: px from: t__s0 where: (and (> qty 0) (and (>= px 1.5) (<= px 9.0)))})");
    }

    @Test
    void aBucketRoundCountsEachBucketWithItsLeastAndGreatestValue() {
        AggregateSource src = new AggregateSource("t", new int[] {0, 1}, WHERE, List.of());
        RayTable groups = RayTable.builder().column(RankSelect.LO, F64Vector.of(1.5)).column(RankSelect.HI, F64Vector.of(9.0))
                .column(RankSelect.SCALE, F64Vector.of(4.0)).build();
        assertThat(text(src.request("t__s0", new RankSelect.Round(MEDIAN, groups, 0, false, 30, false)))).isEqualTo(
                "(select {__n: (count __x) __mn: (min __x) __mx: (max __x) by: {__b: (as 'I64 (floor (* (- __x 1.5) 4.0)))} "
                        + "from: (select {__x: px from: t__s0 where: (and (> qty 0) (and (>= px 1.5) (<= px 9.0)))})})");
        AggregateSource grouped = new AggregateSource("t", new int[] {3}, null, List.of(new Named("s", Column.of("sym"))));
        RayTable open = RayTable.builder().column("s", SymbolVector.of("a")).column(RankSelect.LO, F64Vector.of(1.0))
                .column(RankSelect.HI, F64Vector.of(2.0)).column(RankSelect.SCALE, F64Vector.of(32.0)).build();
        assertThat(text(grouped.request("t__s3", new RankSelect.Round(MEDIAN, open, 0, false, 32, false)))).isEqualTo(
                "(select {__n: (count __x) __mn: (min __x) __mx: (max __x) by: {s: s __b: (as 'I64 (floor (* (- __x __lo) __s)))} "
                        + "from: (inner-join [s] (select {s: sym __x: px from: t__s3 where: (and (>= px 1.0) (<= px 2.0))}) "
                        + "(table [s __lo __hi __s] (list [a] [1.0] [2.0] [32.0]))) where: (and (>= __x __lo) (<= __x __hi))})");
        // the first round of a grouped search: one scale over the union of the ranges, no join
        RayTable two = RayTable.builder().column("s", SymbolVector.of("a", "b")).column(RankSelect.LO, F64Vector.of(1.0, 0.5))
                .column(RankSelect.HI, F64Vector.of(2.0, 1.5)).column(RankSelect.SCALE, F64Vector.of(20.0, 20.0)).build();
        assertThat(text(grouped.request("t__s3", new RankSelect.Round(MEDIAN, two, 0, false, 32, true)))).isEqualTo(
                "(select {__n: (count __x) __mn: (min __x) __mx: (max __x) by: {s: s __b: (as 'I64 (floor (* (- __x 0.5) 20.0)))} "
                        + "from: (select {s: sym __x: px from: t__s3 where: (and (>= px 0.5) (<= px 2.0))})})");
    }

    @Test
    void aGroupedRoundJoinsTheOpenGroupsRangesOnTheKeys() {
        AggregateSource src = new AggregateSource("t", new int[] {3}, null, List.of(new Named("s", Column.of("sym"))));
        RayTable groups = RayTable.builder().column("s", SymbolVector.of("a")).column(RankSelect.LO, F64Vector.of(1.0))
                .column(RankSelect.HI, F64Vector.of(2.0)).column(RankSelect.pivot(0), F64Vector.of(1.5)).build();
        assertThat(text(src.request("t__s3", new RankSelect.Round(MEDIAN, groups, 1, false)))).isEqualTo(
                "(select {__c0: (sum (< __x __at0)) by: {s: s} from: (inner-join [s] (select {s: sym __x: px from: t__s3 where: "
                        + "(and (>= px 1.0) (<= px 2.0))}) "
                        + "(table [s __lo __hi __at0] (list [a] [1.0] [2.0] [1.5]))) where: (and (>= __x __lo) (<= __x __hi))})");
        assertThat(text(src.request("t__s3", new RankSelect.Round(MEDIAN, groups, 0, false)))).startsWith(
                "(select {__v: __x by: {s: s} from: (inner-join [s]");
        assertThat(text(src.request("t__s3", new RankSelect.Round(MEDIAN, null, 0, true)))).isEqualTo(
                "(select {__v: (med px) from: t__s3})");
    }

    @Test
    void modeCountsEachValuePerGroupWithItsFirstRow() {
        AggregateSource src = new AggregateSource("t", new int[] {0}, WHERE, List.of(new Named("sym", Column.of("sym"))));
        assertThat(src.modeRequest("t__s0", MODE).toString()).isEqualTo(
                "(select {__n: (count __seq) __f: (min __seq) by: {sym: sym __v: qty} from: t__s0 where: (> qty 0)})");
    }

    @Test
    void finishingAddsTheOperatorsTheAggregatesNeed() {
        AggregateSource src = new AggregateSource("t", new int[] {0, 1, 2, 5}, WHERE, List.of());
        Aggregate sum = AggregateRules.recognize("s", new Call("sum", List.of(Column.of("px"))));
        Plan combined = new Fixed(null);
        assertThat(src.finish(combined, List.of(sum))).isSameAs(combined);
        Plan both = src.finish(combined, List.of(sum, MEDIAN, MODE));
        assertThat(both.explain()).startsWith("ModeCombine [o=MODE] over t shards 0-2,5, rows of (select {from: <shard> where: (> qty 0)})")
                .contains("\n  RankSelect [m=MEDIAN] over t shards 0-2,5").endsWith("\n    Fixed");
    }
}
