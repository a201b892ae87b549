package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rows of a join run shard by shard, put in one server's order. */
class JoinOrderTest {
    private static final RayTable EMPTY = RayTable.builder().column("k", SymbolVector.of()).column("b", I64Vector.of()).build();

    private static RayTable joined(String[] k, long[] b, long[] lseq, long[] rseq) {
        return RayTable.builder().column("k", SymbolVector.of(k)).column("b", I64Vector.of(b))
                .column(Hidden.LEFT_SEQ, I64Vector.of(lseq)).column(Hidden.RIGHT_SEQ, I64Vector.of(rseq)).build();
    }

    private static long[] b(RayTable t) {
        return ((I64Vector) t.column("b")).toArray();
    }

    private static RayTable order(RayTable... shards) {
        return new JoinOrder(null, "left-join", EMPTY).merge(List.of(shards));
    }

    @Test
    void rowsFollowTheLeftSideAndSeveralMatchesComeNewestFirst() {
        // the engine's own example: L=[A B C A], R=[A A B A C] (b 10 20 30 40 50); matches of A come 40 20 10
        RayTable shardA = joined(new String[] {"A", "A", "A", "A", "A", "A"}, new long[] {10, 20, 40, 10, 20, 40},
                new long[] {0, 0, 0, 3, 3, 3}, new long[] {0, 1, 3, 0, 1, 3});
        RayTable shardBc = joined(new String[] {"B", "C"}, new long[] {30, 50}, new long[] {1, 2}, new long[] {2, 4});
        RayTable got = order(shardBc, shardA);
        assertThat(b(got)).containsExactly(40, 20, 10, 30, 50, 40, 20, 10);
        assertThat(got.columnNames()).containsExactly("k", "b");
    }

    @Test
    void aFullJoinsUnmatchedRightRowsComeLastInRightOrder() {
        RayTable left = joined(new String[] {"A", "B"}, new long[] {1, Nulls.I64}, new long[] {1, 0},
                new long[] {0, Nulls.I64});
        RayTable rightOnly = joined(new String[] {"Z", "Y"}, new long[] {9, 8}, new long[] {Nulls.I64, Nulls.I64},
                new long[] {5, 2});
        assertThat(b(order(rightOnly, left))).containsExactly(Nulls.I64, 1, 8, 9);
    }

    @Test
    void withoutRightSequencesRowsFollowTheLeftSide() {
        RayTable t = RayTable.builder().column("b", I64Vector.of(7, 8, 9)).column(Hidden.LEFT_SEQ, I64Vector.of(2, 0, 1)).build();
        assertThat(b(new JoinOrder(null, "asof-join", EMPTY).merge(List.of(t)))).containsExactly(8, 9, 7);
    }

    @Test
    void noAnswersGiveTheEmptyTable() {
        assertThat(Fixed.run(new JoinOrder(Fixed.answers(), "left-join", EMPTY))).isSameAs(EMPTY);
        RayTable none = joined(new String[0], new long[0], new long[0], new long[0]);
        assertThat(order(none, none)).isEqualTo(EMPTY);
    }

    @Test
    void runAndExplain() {
        RayTable t = joined(new String[] {"A", "B"}, new long[] {1, 2}, new long[] {1, 0}, new long[] {0, 0});
        JoinOrder plan = new JoinOrder(Fixed.answers(t), "(left-join [k] <shard> r)", EMPTY);
        assertThat(b((RayTable) Fixed.run(plan))).containsExactly(2, 1);
        assertThat(plan.explain()).isEqualTo("JoinOrder by left row, matches in reverse right order: (left-join [k] <shard> r)\n"
                + "  Fixed");
    }
}
