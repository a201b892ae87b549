package io.rayforce.cluster.router.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Row comparators over sort keys, then a sequence column. */
class RowOrderTest {
    private final RayTable t = RayTable.builder()
            .column("sym", SymbolVector.of("B", "A", "B", "", "A"))
            .column("px", F64Vector.of(1.0, 2.0, Nulls.F64, 3.0, 2.0))
            .column("seq", I64Vector.of(10, 4, 2, 7, 3))
            .build();

    private static int sign(KWayMerge.RowComparator c, int a, int b) {
        return Integer.signum(c.compare(a, b));
    }

    @Test
    void oneAscendingKeyWithNullsLowest() {
        KWayMerge.RowComparator c = RowOrder.of(t, List.of(new RowOrder.Key("sym", false)), null);
        assertThat(sign(c, 1, 0)).isNegative(); // A < B
        assertThat(sign(c, 3, 1)).isNegative(); // null symbol lowest
        assertThat(sign(c, 0, 2)).isZero(); // a tie without a tie column
    }

    @Test
    void aDescendingKeyPutsNullsLast() {
        KWayMerge.RowComparator c = RowOrder.of(t, List.of(new RowOrder.Key("px", true)), null);
        assertThat(sign(c, 3, 1)).isNegative(); // 3.0 before 2.0
        assertThat(sign(c, 2, 0)).isPositive(); // null after 1.0
    }

    @Test
    void laterKeysBreakTiesThenTheSequenceColumnAscending() {
        KWayMerge.RowComparator c = RowOrder.of(t, List.of(new RowOrder.Key("sym", false), new RowOrder.Key("px", true)), "seq");
        assertThat(sign(c, 0, 2)).isNegative(); // both B: px 1.0 before null (desc)
        assertThat(sign(c, 1, 4)).isPositive(); // both A, px 2.0: seq 4 after seq 3
        assertThat(sign(c, 4, 1)).isNegative();
        assertThat(sign(c, 4, 4)).isZero();
    }

    @Test
    void withNoKeysTheSequenceAloneOrders() {
        KWayMerge.RowComparator c = RowOrder.of(t, List.of(), "seq");
        assertThat(sign(c, 2, 4)).isNegative();
        assertThat(sign(c, 0, 3)).isPositive();
        assertThat(sign(RowOrder.of(t, List.of(), null), 0, 3)).isZero();
    }

    @Test
    void keysPrintWithTheirDirection() {
        assertThat(List.of(new RowOrder.Key("a", false), new RowOrder.Key("b", true))).hasToString("[asc a, desc b]");
    }
}
