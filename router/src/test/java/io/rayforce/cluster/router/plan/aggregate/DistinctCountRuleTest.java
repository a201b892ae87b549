package io.rayforce.cluster.router.plan.aggregate;

import static io.rayforce.cluster.router.plan.aggregate.Rules.groups;
import static io.rayforce.cluster.router.plan.aggregate.Rules.over;
import static io.rayforce.cluster.router.plan.aggregate.Rules.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import org.junit.jupiter.api.Test;

/** {@code (count (distinct x))}: the size of the union of the shards' distinct values. */
class DistinctCountRuleTest {
    private static final DistinctCountRule DC = new DistinctCountRule(false);

    private static long count(RayList perShard) {
        int[] rows = java.util.stream.IntStream.range(0, perShard.length()).toArray();
        return ((I64Vector) DC.combine(over("dc", DC), table("dc", perShard), groups(rows))).get(0);
    }

    @Test
    void shardsSendTheirDistinctValues() {
        assertThat(Rules.partials(DC, "dc", true)).isEqualTo("[dc: (distinct x)]");
        assertThat(Rules.partials(DC, "dc", false)).isEqualTo("[]");
        assertThat(DC.gathered(over("dc", DC))).hasToString("(distinct x)");
        assertThat(DC.name()).isEqualTo("COUNT_DISTINCT");
    }

    @Test
    void valuesOnSeveralShardsCountOnce() {
        assertThat(count(RayList.of(I64Vector.of(1, 2), I64Vector.of(2, 3), I64Vector.of(1)))).isEqualTo(3);
        assertThat(count(RayList.of(SymbolVector.of("a", "b"), SymbolVector.of("b", "c")))).isEqualTo(3);
        assertThat(count(RayList.of(I64Vector.of(), I64Vector.of()))).isZero();
    }

    @Test
    void nullCountsAsOneValue() {
        // the engine: (count (distinct [1 0N 0N 2])) is 3
        assertThat(count(RayList.of(I64Vector.of(1, Nulls.I64), I64Vector.of(Nulls.I64, 2)))).isEqualTo(3);
        assertThat(count(RayList.of(SymbolVector.of(""), SymbolVector.of("", "a")))).isEqualTo(2);
        assertThat(count(RayList.of(F64Vector.of(Nulls.F64), F64Vector.of(Double.NaN, 1.0)))).isEqualTo(2);
    }

    @Test
    void negativeZeroIsZero() {
        // the engine: (count (distinct [0.0 -0.0 0Nf 0Nf])) is 2
        assertThat(count(RayList.of(F64Vector.of(0.0, Nulls.F64), F64Vector.of(-0.0)))).isEqualTo(2);
    }

    @Test
    void groupsAreCountedSeparately() {
        RayTable p = table("dc", RayList.of(I64Vector.of(1, 2), I64Vector.of(2), I64Vector.of(7)));
        assertThat(DC.combine(over("dc", DC), p, groups(new int[] {0, 1}, new int[] {1, 2}, new int[] {2})))
                .isEqualTo(I64Vector.of(2, 2, 1));
    }

    @Test
    void noRowsGiveAnEmptyI64Column() {
        assertThat(DC.empty(over("dc", DC), null)).isEqualTo(I64Vector.of());
    }

    @Test
    void keptAsValuesEachGroupHoldsItsShardsVectorsAndCountsTheSame() {
        DistinctCountRule kept = new DistinctCountRule(true);
        RayList perShard = RayList.of(I64Vector.of(1, 2), I64Vector.of(2, 3), I64Vector.of(7));
        RayList lists = (RayList) kept.combine(over("dc", kept), table("dc", perShard), groups(new int[] {0, 1}, new int[] {2}));
        assertThat(lists.length()).isEqualTo(2);
        assertThat(((RayList) lists.get(0)).length()).isEqualTo(2);
        assertThat(AggregateRules.distinctCount(java.util.List.of(I64Vector.of(1, 2), I64Vector.of(2, 3)))).isEqualTo(3);
    }
}
