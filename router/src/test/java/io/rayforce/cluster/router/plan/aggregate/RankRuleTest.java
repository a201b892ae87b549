package io.rayforce.cluster.router.plan.aggregate;

import static io.rayforce.cluster.router.plan.aggregate.Rules.groups;
import static io.rayforce.cluster.router.plan.aggregate.Rules.over;
import static io.rayforce.cluster.router.plan.aggregate.Rules.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.value.DateVector;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.plan.Hidden;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order statistics: each shard's count, min and max combined into a state per group, the
 * ranks to find, and the value from the values at those ranks, as the engine computes it.
 */
class RankRuleTest {
    private static final RankRule MED = new RankRule(RankRule.Form.MEDIAN);
    private static final RankRule PERCENTILE = new RankRule(RankRule.Form.PERCENTILE);
    private static final RankRule QUANTILE = new RankRule(RankRule.Form.QUANTILE);

    private static Aggregate with(RankRule rule, RayValue parameter) {
        return new Aggregate("q", rule, Column.of("x"), List.of(new Literal(parameter)));
    }

    /** The rule's value of the sorted {@code values}, from the two values it asks for. */
    private static double of(RankRule rule, Aggregate a, double... values) {
        long[] r = rule.ranks(a, values.length);
        return rule.finish(a, values.length, values[(int) r[0]], values[(int) r[1]]);
    }

    @Test
    void shardsSendTheirCountMinAndMax() {
        assertThat(Rules.partials(MED, "m", true)).isEqualTo("[m: (- (count x) (sum (nil? x))), __m_lo: (min x), __m_hi: (max x)]");
        assertThat(MED.finish()).isEqualTo(AggregateRule.Finish.RANK_SELECT);
        assertThat(new String[] {MED.name(), PERCENTILE.name(), QUANTILE.name()}).containsExactly("MEDIAN", "PERCENTILE", "QUANTILE");
        assertThat(MED.call(over("m", MED))).hasToString("(med x)");
        assertThat(QUANTILE.call(with(QUANTILE, F64Atom.of(0.5)))).hasToString("(quantile x 0.5)");
    }

    @Test
    void eachGroupsStateIsItsCountMinAndMaxTypedAsTheValues() {
        RayTable p = table("m", I64Vector.of(2, 0, 3), Hidden.part("m", "lo"), new DateVector(new int[] {8780, Nulls.I32, 8700}),
                Hidden.part("m", "hi"), new DateVector(new int[] {8790, Nulls.I32, 8785}));
        RayList got = (RayList) MED.combine(over("m", MED), p, groups(new int[] {0, 1, 2}, new int[] {1}));
        assertThat(got.get(0)).isEqualTo(RayList.of(I64Atom.of(5), new DateVector(new int[] {8700}).at(0), new DateVector(new int[] {8790}).at(0)));
        assertThat(got.get(1)).isEqualTo(RayList.of(I64Atom.of(0)));
    }

    @Test
    void theMedianIsTheMiddleValueOrTheMeanOfTheMiddleTwo() {
        assertThat(MED.ranks(over("m", MED), 5)).containsExactly(2, 2);
        assertThat(MED.ranks(over("m", MED), 4)).containsExactly(1, 2);
        assertThat(of(MED, over("m", MED), 1, 2, 3, 4)).isEqualTo(2.5);
        assertThat(of(MED, over("m", MED), 1, 5, 9)).isEqualTo(5.0);
        // the engine: (med [1e308 1e308]) overflows to null, (med [-1e308 1e308]) is 0.0
        assertThat(of(MED, over("m", MED), 1e308, 1e308)).isNaN();
        assertThat(of(MED, over("m", MED), -1e308, 1e308)).isZero();
    }

    @Test
    void quantilesInterpolateAsTheEngine() {
        double[] ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        // the engine: (percentile [1 .. 10] 90) 9.1, (percentile .. 0.9) 1.081, (quantile .. 0.25) 3.25, (quantile .. 1) 10.0
        assertThat(of(PERCENTILE, with(PERCENTILE, I64Atom.of(90)), ten)).isEqualTo(9.1);
        assertThat(of(PERCENTILE, with(PERCENTILE, F64Atom.of(0.9)), ten)).isEqualTo(1.081);
        assertThat(of(QUANTILE, with(QUANTILE, F64Atom.of(0.25)), ten)).isEqualTo(3.25);
        assertThat(of(QUANTILE, with(QUANTILE, I64Atom.of(1)), ten)).isEqualTo(10.0);
        assertThat(QUANTILE.ranks(with(QUANTILE, F64Atom.of(0.25)), 10)).containsExactly(2, 3);
        assertThat(QUANTILE.ranks(with(QUANTILE, I64Atom.of(0)), 10)).containsExactly(0, 0);
        // a fused multiply-add, bit for bit: (quantile [-268622.0 301869.0 ...] 0.24) at rank 1.2
        assertThat(of(QUANTILE, with(QUANTILE, F64Atom.of(0.24)), -300000.0, -268622.0, 301869.0, 400000, 500000, 600000))
                .isEqualTo(-154523.80000000002);
        // (quantile [-1e308 1e308] 0.5) overflows to null; at a whole rank the value itself: (quantile [-1e308 1e308] 0.0)
        assertThat(of(QUANTILE, with(QUANTILE, F64Atom.of(0.5)), -1e308, 1e308)).isNaN();
        assertThat(of(QUANTILE, with(QUANTILE, F64Atom.of(0.0)), -1e308, 1e308)).isEqualTo(-1e308);
    }

    @Test
    void parametersAreNumbers() {
        assertThat(RankRule.number(I64Atom.of(90))).isEqualTo(90.0);
        assertThat(RankRule.number(F64Atom.of(0.5))).isEqualTo(0.5);
        assertThat(RankRule.number(I64Atom.NULL)).isNaN();
        assertThat(RankRule.number(io.rayforce.cluster.client.value.Symbol.of("a"))).isNaN();
    }

    @Test
    void noValuesGiveNull() {
        assertThat(MED.empty(over("m", MED), null)).isEqualTo(F64Vector.of());
        assertThat(((F64Atom) MED.overNothing(over("m", MED), F64Vector.of())).isNull()).isTrue();
    }
}
