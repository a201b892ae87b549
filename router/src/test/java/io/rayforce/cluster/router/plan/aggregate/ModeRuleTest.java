package io.rayforce.cluster.router.plan.aggregate;

import static io.rayforce.cluster.router.plan.aggregate.Rules.groups;
import static io.rayforce.cluster.router.plan.aggregate.Rules.over;
import static io.rayforce.cluster.router.plan.aggregate.Rules.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.SymbolVector;
import org.junit.jupiter.api.Test;

/** {@code mode}: a stand-in typed as the values, finished by ModeCombine; which values it counts. */
class ModeRuleTest {
    private static final ModeRule OF_VECTOR = new ModeRule(false);
    private static final ModeRule IN_SELECT = new ModeRule(true);

    @Test
    void shardsSendTheFirstValueAsAStandIn() {
        assertThat(Rules.partials(OF_VECTOR, "m", true)).isEqualTo("[m: (first x)]");
        assertThat(OF_VECTOR.finish()).isEqualTo(AggregateRule.Finish.MODE_COMBINE);
        assertThat(OF_VECTOR.name()).isEqualTo("MODE");
        assertThat(OF_VECTOR.combine(over("m", OF_VECTOR), table("m", I64Vector.of(4, 7, Nulls.I64)),
                groups(new int[] {1, 0}, new int[] {2}))).isEqualTo(I64Vector.of(7, Nulls.I64));
        assertThat(OF_VECTOR.empty(over("m", OF_VECTOR), table("m", SymbolVector.of()))).isEqualTo(SymbolVector.of());
    }

    @Test
    void nullsAreNotCountedButASelectCountsTheEmptyString() {
        // the engine: (mode ["" "" "a"]) is "a"; (select {m: (mode s) ...}) of the same column ""
        StringVector s = new StringVector(new String[] {"", "a"});
        assertThat(OF_VECTOR.counts(s, 0)).isFalse();
        assertThat(IN_SELECT.counts(s, 0)).isTrue();
        assertThat(IN_SELECT.counts(s, 1)).isTrue();
        // the null symbol and null numbers are not counted anywhere
        assertThat(IN_SELECT.counts(SymbolVector.of(""), 0)).isFalse();
        assertThat(IN_SELECT.counts(I64Vector.of(Nulls.I64), 0)).isFalse();
    }
}
