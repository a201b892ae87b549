package io.rayforce.cluster.router.plan.aggregate;

import static io.rayforce.cluster.router.plan.aggregate.Rules.groups;
import static io.rayforce.cluster.router.plan.aggregate.Rules.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.router.plan.Hidden;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code (wsum w x)} and {@code (wavg w x)}: the shards' weighted sums (and weights), added up. */
class WeightedRuleTest {
    private static final WeightedRule WAVG = new WeightedRule(true);
    private static final WeightedRule WSUM = new WeightedRule(false);
    private static final String W = Hidden.part("a", "w");

    private static Aggregate over(WeightedRule rule) {
        return new Aggregate("a", rule, Column.of("w"), List.of(Column.of("x")));
    }

    @Test
    void shardsSendTheirWeightedSumAndTheWeightsOfTheRowsWithAValue() {
        assertThat(WSUM.partials(over(WSUM), true).toString()).isEqualTo("[a: (wsum w x)]");
        assertThat(WAVG.partials(over(WAVG), false).toString()).isEqualTo("[a: (wsum w x), __a_w: (sum (* (as 'F64 w) (not (nil? x))))]");
        assertThat(new String[] {WAVG.name(), WSUM.name()}).containsExactly("WAVG", "WSUM");
    }

    @Test
    void theSumsAreAddedPerGroup() {
        // the engine: (wsum [1 2 3] [10 20 30]) is 140.0, (wavg ...) 23.333333333333332
        RayTable p = table("a", F64Vector.of(10, 130, 5), W, F64Vector.of(1, 5, 1));
        assertThat(WSUM.combine(over(WSUM), p, groups(new int[] {0, 1}, new int[] {2}))).isEqualTo(F64Vector.of(140, 5));
        F64Vector avg = (F64Vector) WAVG.combine(over(WAVG), p, groups(new int[] {0, 1}, new int[] {2}));
        assertThat(avg.get(0)).isEqualTo(140.0 / 6);
        assertThat(avg.get(1)).isEqualTo(5.0);
    }

    @Test
    void weightsThatAddToZeroGiveNull() {
        // the engine: (wavg [1 -1] [1 2]) and (wavg [] []) are null, (wsum [] []) 0.0
        RayTable p = table("a", F64Vector.of(1, -2), W, F64Vector.of(1, -1));
        assertThat(((F64Vector) WAVG.combine(over(WAVG), p, groups(new int[] {0, 1}))).isNull(0)).isTrue();
        assertThat(((F64Atom) WAVG.overNothing(over(WAVG), F64Vector.of())).isNull()).isTrue();
        assertThat(WSUM.overNothing(over(WSUM), F64Vector.of())).isEqualTo(F64Atom.of(0.0));
        assertThat(WAVG.empty(over(WAVG), null)).isEqualTo(F64Vector.of());
    }

    @Test
    void aSumThatOverflowsIsNullAsOnTheEngine() {
        // the engine: (wsum [1e308 1e308] [10.0 10.0]) is null
        RayTable p = table("a", F64Vector.of(1e308, 1e308), W, F64Vector.of(1, 1));
        assertThat(((F64Vector) WSUM.combine(over(WSUM), p, groups(new int[] {0, 1}))).isNull(0)).isTrue();
    }
}
