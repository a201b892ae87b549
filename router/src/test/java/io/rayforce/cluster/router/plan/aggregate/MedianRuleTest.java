package io.rayforce.cluster.router.plan.aggregate;

import static io.rayforce.cluster.router.plan.aggregate.Rules.groups;
import static io.rayforce.cluster.router.plan.aggregate.Rules.over;
import static io.rayforce.cluster.router.plan.aggregate.Rules.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import org.junit.jupiter.api.Test;

/** {@code med}: every shard's values; the exact median of all non-null ones. */
class MedianRuleTest {
    private static final MedianRule MED = new MedianRule();

    private static F64Vector median(RayList perShard) {
        return (F64Vector) MED.combine(over("m", MED), table("m", perShard), groups(
                java.util.stream.IntStream.range(0, perShard.length()).toArray()));
    }

    @Test
    void groupedShardsSendTheirValuesAndUngroupedOnesGatherThem() {
        assertThat(Rules.partials(MED, "m", true)).isEqualTo("[m: x]");
        assertThat(Rules.partials(MED, "m", false)).isEqualTo("[]");
        assertThat(MED.gathered(over("m", MED))).hasToString("x");
        assertThat(MED.name()).isEqualTo("MEDIAN");
    }

    @Test
    void anOddCountTakesTheMiddleValue() {
        assertThat(median(RayList.of(I64Vector.of(9, 1), I64Vector.of(5)))).isEqualTo(F64Vector.of(5));
        assertThat(median(RayList.of(I64Vector.of(4)))).isEqualTo(F64Vector.of(4));
    }

    @Test
    void anEvenCountTakesTheMeanOfTheMiddleTwo() {
        assertThat(median(RayList.of(I64Vector.of(1, 2), I64Vector.of(3, 4)))).isEqualTo(F64Vector.of(2.5));
        assertThat(median(RayList.of(F64Vector.of(-1.5), F64Vector.of(), F64Vector.of(0.5)))).isEqualTo(F64Vector.of(-0.5));
    }

    @Test
    void nullsAreSkippedAndOnlyNullsGiveNull() {
        assertThat(median(RayList.of(I64Vector.of(1, Nulls.I64), I64Vector.of(3)))).isEqualTo(F64Vector.of(2.0));
        assertThat(median(RayList.of(I64Vector.of(Nulls.I64), I64Vector.of())).isNull(0)).isTrue();
        assertThat(median(RayList.of(F64Vector.of(Nulls.F64, Nulls.F64))).isNull(0)).isTrue();
    }

    @Test
    void groupsAreFinishedSeparately() {
        RayTable p = table("m", RayList.of(I64Vector.of(1, 2), I64Vector.of(10), I64Vector.of(3)));
        assertThat(MED.combine(over("m", MED), p, groups(new int[] {0, 2}, new int[] {1}))).isEqualTo(F64Vector.of(2, 10));
    }

    @Test
    void oneValuePerShardMayComeAsAPlainColumn() {
        RayTable p = table("m", I64Vector.of(4, 8, 1));
        assertThat(MED.combine(over("m", MED), p, groups(new int[] {0, 1, 2}, new int[] {1, 2}))).isEqualTo(F64Vector.of(4, 4.5));
    }

    @Test
    void aGatheredItemThatIsNotAVectorIsAnError() {
        RayTable p = table("m", RayList.of(I64Atom.of(1)));
        assertThatThrownBy(() -> MED.combine(over("m", MED), p, groups(new int[] {0}))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expected a vector of values");
    }

    @Test
    void noRowsGiveAnEmptyF64Column() {
        assertThat(MED.empty(over("m", MED), null)).isEqualTo(F64Vector.of());
    }
}
