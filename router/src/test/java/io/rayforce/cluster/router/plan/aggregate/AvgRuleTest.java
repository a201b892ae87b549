package io.rayforce.cluster.router.plan.aggregate;

import static io.rayforce.cluster.router.plan.aggregate.Rules.groups;
import static io.rayforce.cluster.router.plan.aggregate.Rules.over;
import static io.rayforce.cluster.router.plan.aggregate.Rules.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.router.plan.Hidden;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code avg}: the shards' sums and non-null counts; the total sum over the total count. */
class AvgRuleTest {
    private static final AvgRule AVG = new AvgRule(false);
    private static final String N = Hidden.part("a", "n");

    @Test
    void eachShardSendsItsSumInF64AndNonNullCount() {
        // in f64 as the engine averages: a shard's i64 (sum x) of [9223372036854775807 9223372036854775807] wraps to -2
        assertThat(Rules.partials(AVG, "a", true)).isEqualTo("[a: (sum (as 'F64 x)), __a_n: (- (count x) (sum (nil? x)))]");
        assertThat(Rules.partials(AVG, "a", false)).isEqualTo(Rules.partials(AVG, "a", true));
        assertThat(AVG.name()).isEqualTo("AVG");
    }

    /** An f64 column is summed as it is (its cast would copy it); the type is known only of a column of the table. */
    @Test
    void theAverageOfAnF64ColumnSumsItWithoutACast() {
        Aggregate px = AggregateRules.recognize("a", new Call("avg", List.of(Column.of("px"))));
        Aggregate typed = AggregateRules.typed(px, "px"::equals);
        assertThat(typed.rule().partials(typed, true).toString())
                .isEqualTo("[a: (sum px), __a_n: (- (count px) (sum (nil? px)))]");
        assertThat(typed.rule().name()).isEqualTo("AVG");
        assertThat(AggregateRules.typed(px, c -> false)).as("an i64 column").isSameAs(px);
        Aggregate expr = AggregateRules.recognize("a", new Call("avg", List.of(new Call("*", List.of(Column.of("px"),
                Column.of("px"))))));
        assertThat(AggregateRules.typed(expr, c -> true)).as("an expression: its type is not known").isSameAs(expr);
        Aggregate sum = AggregateRules.recognize("a", new Call("sum", List.of(Column.of("px"))));
        assertThat(AggregateRules.typed(sum, c -> true)).isSameAs(sum);
    }

    @Test
    void theTotalSumOverTheTotalCount() {
        int[][] g = groups(new int[] {0, 1}, new int[] {2}, new int[] {0, 1, 2});
        assertThat(AVG.combine(over("a", AVG), table("a", I64Vector.of(10, 5, 7), N, I64Vector.of(4, 1, 2)), g))
                .isEqualTo(F64Vector.of(3.0, 3.5, 22.0 / 7));
        assertThat(AVG.combine(over("a", AVG), table("a", F64Vector.of(1.5, 0.5), N, I64Vector.of(1, 1)), groups(new int[] {0, 1})))
                .isEqualTo(F64Vector.of(1.0));
        // sums past the i64 range, as two shards of [9223372036854775807 9223372036854775807 1] send them
        assertThat(AVG.combine(over("a", AVG), table("a", F64Vector.of(1.8446744073709552e19, 1), N, I64Vector.of(2, 1)),
                groups(new int[] {0, 1}))).isEqualTo(F64Vector.of(1.8446744073709552e19 / 3));
    }

    @Test
    void shardsWithoutValuesAreSkippedAndNoValueGivesNull() {
        // a shard whose rows of the group are all null: sum 0, count 0
        F64Vector got = (F64Vector) AVG.combine(over("a", AVG), table("a", I64Vector.of(0, 6, 0), N, I64Vector.of(0, 3, 0)),
                groups(new int[] {0, 1, 2}, new int[] {0, 2}));
        assertThat(got.get(0)).isEqualTo(2.0);
        assertThat(got.isNull(1)).isTrue();
    }

    @Test
    void noRowsGiveAnEmptyF64Column() {
        assertThat(AVG.empty(over("a", AVG), table("a", I64Vector.of(), N, I64Vector.of()))).isEqualTo(F64Vector.of());
        assertThat(AVG.empty(over("a", AVG), null)).isEqualTo(F64Vector.of());
    }
}
