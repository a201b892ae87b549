package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.router.merge.RowOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A stable sort at the router, as the engine's sorts are stable. */
class SortTest {
    private static final RayTable T = RayTable.builder()
            .column("sym", SymbolVector.of("b", "a", "b", "", "a", "b"))
            .column("px", F64Vector.of(2.0, Nulls.F64, 1.0, 3.0, 2.0, 2.0))
            .column("id", I64Vector.of(0, 1, 2, 3, 4, 5))
            .build();

    private static long[] ids(RayTable t) {
        return ((I64Vector) t.column("id")).toArray();
    }

    private static RayTable sort(RowOrder.Key... keys) {
        return new Sort(null, List.of(keys)).apply(T);
    }

    @Test
    void ascendingWithNullsLowestAndTiesInTheirOrder() {
        assertThat(ids(sort(new RowOrder.Key("sym", false)))).containsExactly(3, 1, 4, 0, 2, 5);
        assertThat(ids(sort(new RowOrder.Key("px", false)))).containsExactly(1, 2, 0, 4, 5, 3);
    }

    @Test
    void descendingKeepsTiesInTheirOrderToo() {
        // the engine's desc sort is stable: tied rows keep their original order
        assertThat(ids(sort(new RowOrder.Key("px", true)))).containsExactly(3, 0, 4, 5, 2, 1);
    }

    @Test
    void laterKeysBreakTies() {
        assertThat(ids(sort(new RowOrder.Key("sym", true), new RowOrder.Key("px", false)))).containsExactly(2, 0, 5, 1, 4, 3);
    }

    @Test
    void noKeysOrFewerThanTwoRowsLeaveTheTable() {
        assertThat(new Sort(null, List.of()).apply(T)).isSameAs(T);
        RayTable one = T.slice(0, 1);
        assertThat(new Sort(null, List.of(new RowOrder.Key("px", true))).apply(one)).isSameAs(one);
        RayTable none = T.slice(0, 0);
        assertThat(new Sort(null, List.of(new RowOrder.Key("px", true))).apply(none)).isSameAs(none);
    }

    @Test
    void runAndExplain() {
        Sort s = new Sort(new Fixed(T), List.of(new RowOrder.Key("sym", false), new RowOrder.Key("px", true)));
        assertThat(ids((RayTable) Fixed.run(s))).containsExactly(3, 4, 1, 0, 5, 2);
        assertThat(s.explain()).isEqualTo("Sort by [asc sym, desc px] (stable)\n  Fixed");
    }
}
