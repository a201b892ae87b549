package io.rayforce.cluster.router.plan.aggregate;

import static io.rayforce.cluster.router.plan.aggregate.Rules.groups;
import static io.rayforce.cluster.router.plan.aggregate.Rules.over;
import static io.rayforce.cluster.router.plan.aggregate.Rules.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.TimestampVector;
import org.junit.jupiter.api.Test;

/** {@code min} and {@code max}: the smallest and largest non-null partial, in its own type. */
class ExtremeRuleTest {
    private static final ExtremeRule MIN = new ExtremeRule(true);
    private static final ExtremeRule MAX = new ExtremeRule(false);

    @Test
    void eachShardComputesTheSameAggregate() {
        assertThat(Rules.partials(MIN, "lo", true)).isEqualTo("[lo: (min x)]");
        assertThat(Rules.partials(MAX, "hi", false)).isEqualTo("[hi: (max x)]");
        assertThat(MIN.name()).isEqualTo("MIN");
        assertThat(MAX.name()).isEqualTo("MAX");
    }

    @Test
    void theExtremeOfEachGroupsPartials() {
        I64Vector p = I64Vector.of(5, -2, 9, 3);
        int[][] g = groups(new int[] {0, 1, 2}, new int[] {3}, new int[] {2, 0});
        assertThat(MIN.combine(over("v", MIN), table("v", p), g)).isEqualTo(I64Vector.of(-2, 3, 5));
        assertThat(MAX.combine(over("v", MAX), table("v", p), g)).isEqualTo(I64Vector.of(9, 3, 9));
    }

    @Test
    void nullPartialsAreSkippedAndOnlyNullsGiveNull() {
        // a shard whose rows of the group are all null answers a null min
        F64Vector p = F64Vector.of(Nulls.F64, 2.5, Nulls.F64, -1.0, Nulls.F64);
        int[][] g = groups(new int[] {0, 1, 2}, new int[] {0, 2}, new int[] {3, 4});
        assertThat(MIN.combine(over("v", MIN), table("v", p), g)).isEqualTo(F64Vector.of(2.5, Nulls.F64, -1.0));
        assertThat(MAX.combine(over("v", MAX), table("v", p), g)).isEqualTo(F64Vector.of(2.5, Nulls.F64, -1.0));
        I64Vector q = I64Vector.of(Nulls.I64, Long.MIN_VALUE + 1);
        assertThat(MIN.combine(over("v", MIN), table("v", q), groups(new int[] {0, 1}))).isEqualTo(I64Vector.of(Long.MIN_VALUE + 1));
    }

    @Test
    void theTypeOfThePartialIsKept() {
        TimestampVector p = new TimestampVector(new long[] {30, 10, 20});
        assertThat(MAX.combine(over("v", MAX), table("v", p), groups(new int[] {0, 1, 2})))
                .isEqualTo(new TimestampVector(new long[] {30}));
    }

    @Test
    void noRowsGiveAnEmptyColumnTypedAsThePartial() {
        assertThat(MIN.empty(over("v", MIN), table("v", new TimestampVector(new long[0])))).isEqualTo(new TimestampVector(new long[0]));
        assertThat(MAX.empty(over("v", MAX), null)).isEqualTo(I64Vector.of());
    }
}
