package io.rayforce.cluster.router.plan.aggregate;

import static io.rayforce.cluster.router.plan.aggregate.Rules.groups;
import static io.rayforce.cluster.router.plan.aggregate.Rules.over;
import static io.rayforce.cluster.router.plan.aggregate.Rules.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.RayTable;
import org.junit.jupiter.api.Test;

/** {@code all} and {@code any}: the shards' own, and-ed and or-ed. */
class LogicRuleTest {
    private static final LogicRule ALL = new LogicRule(true);
    private static final LogicRule ANY = new LogicRule(false);

    @Test
    void eachShardSendsItsOwn() {
        assertThat(Rules.partials(ALL, "a", true)).isEqualTo("[a: (all x)]");
        assertThat(Rules.partials(ANY, "a", false)).isEqualTo("[a: (any x)]");
        assertThat(new String[] {ALL.name(), ANY.name()}).containsExactly("ALL", "ANY");
    }

    @Test
    void allNeedsEveryShardAnyOne() {
        RayTable p = table("a", BoolVector.of(true, false, true));
        int[][] g = groups(new int[] {0, 1}, new int[] {0, 2}, new int[] {1});
        assertThat(ALL.combine(over("a", ALL), p, g)).isEqualTo(BoolVector.of(false, true, false));
        assertThat(ANY.combine(over("a", ANY), p, g)).isEqualTo(BoolVector.of(true, true, false));
    }

    @Test
    void overNothingAllIsTrueAndAnyFalse() {
        // the engine: (all []) is true, (any []) false
        assertThat(ALL.overNothing(over("a", ALL), BoolVector.of())).isEqualTo(BoolAtom.of(true));
        assertThat(ANY.overNothing(over("a", ANY), BoolVector.of())).isEqualTo(BoolAtom.of(false));
        assertThat(ALL.empty(over("a", ALL), null)).isEqualTo(BoolVector.of());
    }
}
