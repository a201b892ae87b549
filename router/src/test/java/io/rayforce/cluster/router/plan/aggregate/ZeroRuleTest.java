package io.rayforce.cluster.router.plan.aggregate;

import static io.rayforce.cluster.router.plan.aggregate.Rules.groups;
import static io.rayforce.cluster.router.plan.aggregate.Rules.over;
import static io.rayforce.cluster.router.plan.aggregate.Rules.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.DateVector;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimestampVector;
import org.junit.jupiter.api.Test;

/** {@code top}/{@code bot} in an ungrouped select: the zero of the values' type, whatever the values. */
class ZeroRuleTest {
    private static final ZeroRule RULE = new ZeroRule("top");

    @Test
    void theFirstValueCarriesTheType() {
        assertThat(Rules.partials(RULE, "t", false)).isEqualTo("[t: (first x)]");
        assertThat(RULE.name()).isEqualTo("ZERO(top)");
    }

    @Test
    void theZeroOfEachType() {
        // the engine: (select {t: (top a 1) ...}) 0, (top b 2) 0.0, of timestamps 2000.01.01D00:00..., of symbols the empty one
        assertThat(RULE.combine(over("t", RULE), table("t", F64Vector.of(-1.5, 3)), groups(new int[] {0, 1})))
                .isEqualTo(F64Vector.of(0.0));
        assertThat(RULE.combine(over("t", RULE), table("t", new TimestampVector(new long[] {5})), groups(new int[] {0})))
                .isEqualTo(new TimestampVector(new long[] {0}));
        assertThat(RULE.combine(over("t", RULE), table("t", new DateVector(new int[] {8780})), groups(new int[] {0}))).isEqualTo(new DateVector(new int[] {0}));
        assertThat(RULE.combine(over("t", RULE), table("t", SymbolVector.of("x")), groups(new int[] {0}))).isEqualTo(SymbolVector.of(""));
    }

    @Test
    void anEmptyTableGivesAnEmptyList() {
        assertThat(RULE.empty(over("t", RULE), table("t", F64Vector.of()))).isEqualTo(RayList.EMPTY);
    }
}
