package io.rayforce.cluster.router.plan.aggregate;

import static io.rayforce.cluster.router.plan.aggregate.Rules.groups;
import static io.rayforce.cluster.router.plan.aggregate.Rules.over;
import static io.rayforce.cluster.router.plan.aggregate.Rules.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I32Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import org.junit.jupiter.api.Test;

/** {@code sum} and {@code count}: the shards' own, added up. */
class SumRuleTest {
    private static final SumRule SUM = new SumRule("sum");
    private static final SumRule COUNT = new SumRule("count");

    @Test
    void eachShardComputesTheSameAggregate() {
        assertThat(Rules.partials(SUM, "s", false)).isEqualTo("[s: (sum x)]");
        assertThat(Rules.partials(SUM, "s", true)).isEqualTo("[s: (sum x)]");
        assertThat(Rules.partials(COUNT, "n", true)).isEqualTo("[n: (count x)]");
        assertThat(SUM.gathered(over("s", SUM))).isNull();
        assertThat(SUM.name()).isEqualTo("SUM");
        assertThat(COUNT.name()).isEqualTo("COUNT");
    }

    @Test
    void i64PartialsAddUpPerGroup() {
        assertThat(SUM.combine(over("s", SUM), table("s", I64Vector.of(1, 2, 3, 4)), groups(new int[] {0, 2}, new int[] {3},
                new int[] {1, 3}))).isEqualTo(I64Vector.of(4, 4, 6));
        assertThat(COUNT.combine(over("n", COUNT), table("n", I64Vector.of(0, 0)), groups(new int[] {0, 1})))
                .isEqualTo(I64Vector.of(0));
    }

    @Test
    void f64PartialsAddUpAsF64() {
        assertThat(SUM.combine(over("s", SUM), table("s", F64Vector.of(0.5, 0.25, 2)), groups(new int[] {0, 1, 2})))
                .isEqualTo(F64Vector.of(2.75));
    }

    @Test
    void i64SumsWrapAroundAsTheEnginesDo() {
        assertThat(SUM.combine(over("s", SUM), table("s", I64Vector.of(Long.MAX_VALUE, 10)), groups(new int[] {0, 1})))
                .isEqualTo(I64Vector.of(Long.MIN_VALUE + 9));
        assertThat(SUM.combine(over("s", SUM), table("s", I64Vector.of(Long.MIN_VALUE + 1, -3)), groups(new int[] {0, 1})))
                .isEqualTo(I64Vector.of(Long.MAX_VALUE - 1));
    }

    @Test
    void aShardSumThatWrappedOntoTheNullSentinelIsStillASum() {
        // the engine: (sum [9223372036854775807 1 5]) is -9223372036854775803, while a shard holding
        // [9223372036854775807 1] answers (sum ...) with 0Nl, the i64 null's bits
        assertThat(SUM.combine(over("s", SUM), table("s", I64Vector.of(Nulls.I64, 5)), groups(new int[] {0, 1})))
                .isEqualTo(I64Vector.of(-9223372036854775803L));
    }

    @Test
    void nullF64PartialsAreSkipped() {
        assertThat(SUM.combine(over("s", SUM), table("s", F64Vector.of(Nulls.F64, 1.5)), groups(new int[] {0, 1})))
                .isEqualTo(F64Vector.of(1.5));
    }

    @Test
    void noRowsGiveAnEmptyColumnTypedAsThePartial() {
        assertThat(SUM.empty(over("s", SUM), table("s", F64Vector.of()))).isEqualTo(F64Vector.of());
        assertThat(SUM.empty(over("s", SUM), null)).isEqualTo(I64Vector.of());
        assertThat(COUNT.empty(over("n", COUNT), table("n", F64Vector.of()))).isEqualTo(I64Vector.of());
    }

    @Test
    void otherPartialTypesAreRefused() {
        assertThatThrownBy(() -> SUM.combine(over("s", SUM), table("s", I32Vector.of(1)), groups(new int[] {0})))
                .isInstanceOf(IllegalStateException.class).hasMessage("cannot add partial sums of type i32");
    }
}
