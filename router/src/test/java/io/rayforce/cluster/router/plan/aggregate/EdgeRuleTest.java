package io.rayforce.cluster.router.plan.aggregate;

import static io.rayforce.cluster.router.plan.aggregate.Rules.groups;
import static io.rayforce.cluster.router.plan.aggregate.Rules.over;
import static io.rayforce.cluster.router.plan.aggregate.Rules.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.router.plan.Hidden;
import org.junit.jupiter.api.Test;

/** {@code first} and {@code last}: the non-null value with the smallest (largest) sequence across shards. */
class EdgeRuleTest {
    private static final EdgeRule FIRST = new EdgeRule(true);
    private static final EdgeRule LAST = new EdgeRule(false);
    private static final String S = Hidden.part("e", "s");

    @Test
    void eachShardSendsItsValueAndTheSequenceOfItsFirstOrLastNonNull() {
        assertThat(Rules.partials(FIRST, "e", true)).isEqualTo("[e: (first x), __e_s: (min (if (nil? x) 0Nl __seq))]");
        assertThat(Rules.partials(LAST, "e", false)).isEqualTo("[e: (last x), __e_s: (max (if (nil? x) 0Nl __seq))]");
        assertThat(FIRST.name()).isEqualTo("FIRST");
        assertThat(LAST.name()).isEqualTo("LAST");
    }

    /** Three shards' partials for one group: no value on shard 0, seq 5 on shard 1, seq 2 on shard 2. */
    private static final RayTable PARTIALS = table("e", I64Vector.of(Nulls.I64, 7, 3), S, I64Vector.of(Nulls.I64, 5, 2));

    @Test
    void theValueIsPickedBySequenceAcrossShardsNotByShardOrder() {
        assertThat(FIRST.combine(over("e", FIRST), PARTIALS, groups(new int[] {0, 1, 2}))).isEqualTo(I64Vector.of(3));
        assertThat(LAST.combine(over("e", LAST), PARTIALS, groups(new int[] {0, 1, 2}))).isEqualTo(I64Vector.of(7));
        assertThat(FIRST.combine(over("e", FIRST), PARTIALS, groups(new int[] {2, 1}, new int[] {1})))
                .isEqualTo(I64Vector.of(3, 7));
    }

    @Test
    void shardsWithOnlyNullsAreSkippedAndAllNullGivesNull() {
        assertThat(FIRST.combine(over("e", FIRST), PARTIALS, groups(new int[] {0, 1}))).isEqualTo(I64Vector.of(7));
        assertThat(LAST.combine(over("e", LAST), PARTIALS, groups(new int[] {0}))).isEqualTo(I64Vector.of(Nulls.I64));
    }

    @Test
    void theTypeOfTheValueIsKept() {
        RayTable syms = table("e", SymbolVector.of("late", "", "early"), S, I64Vector.of(9, Nulls.I64, 1));
        assertThat(FIRST.combine(over("e", FIRST), syms, groups(new int[] {0, 1, 2}))).isEqualTo(SymbolVector.of("early"));
        assertThat(LAST.combine(over("e", LAST), syms, groups(new int[] {1, 2, 0}))).isEqualTo(SymbolVector.of("late"));
    }

    @Test
    void noRowsGiveAnEmptyColumnTypedAsThePartial() {
        assertThat(FIRST.empty(over("e", FIRST), table("e", SymbolVector.of(), S, I64Vector.of()))).isEqualTo(SymbolVector.of());
        assertThat(LAST.empty(over("e", LAST), null)).isEqualTo(I64Vector.of());
    }
}
