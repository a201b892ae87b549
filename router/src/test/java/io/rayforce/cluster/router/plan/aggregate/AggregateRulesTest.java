package io.rayforce.cluster.router.plan.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one place that decides which aggregates the cluster splits, and how. */
class AggregateRulesTest {
    private static Expr call(String f, Expr... args) {
        return new Call(f, List.of(args));
    }

    @Test
    void everyFunctionHasItsRule() {
        String[][] expected = {{"sum", "SUM"}, {"count", "COUNT"}, {"min", "MIN"}, {"max", "MAX"}, {"avg", "AVG"},
            {"first", "FIRST"}, {"last", "LAST"}, {"med", "MEDIAN"}, {"var", "VAR"}, {"var_pop", "VAR_POP"}, {"dev", "DEV"},
            {"dev_pop", "DEV"}, {"stddev_pop", "DEV"}, {"stddev", "STDDEV"}};
        for (String[] e : expected) {
            assertThat(AggregateRules.forFunction(e[0])).as(e[0]).isNotNull();
            assertThat(AggregateRules.forFunction(e[0]).name()).as(e[0]).isEqualTo(e[1]);
            assertThat(AggregateRules.isAggregate(e[0])).isTrue();
        }
        for (String other : new String[] {"wavg", "percentile", "distinct", "+", "til"}) {
            assertThat(AggregateRules.forFunction(other)).as(other).isNull();
            assertThat(AggregateRules.isAggregate(other)).as(other).isFalse();
        }
    }

    @Test
    void aOneArgumentCallOfAnAggregateIsRecognised() {
        Aggregate a = AggregateRules.recognize("s", call("sum", call("*", Column.of("px"), Column.of("qty"))));
        assertThat(a.output()).isEqualTo("s");
        assertThat(a.rule().name()).isEqualTo("SUM");
        assertThat(a.argument()).hasToString("(* px qty)");
        assertThat(a).hasToString("s=SUM");
    }

    @Test
    void countOfDistinctIsItsOwnAggregate() {
        Aggregate a = AggregateRules.recognize("dc", call("count", call("distinct", Column.of("sym"))));
        assertThat(a.rule().name()).isEqualTo("COUNT_DISTINCT");
        assertThat(a.argument()).isEqualTo(Column.of("sym"));
        assertThat(AggregateRules.recognize("n", call("count", call("distinct", Column.of("a"), Column.of("b")))).rule().name())
                .isEqualTo("COUNT");
    }

    @Test
    void anythingElseIsNotSplit() {
        assertThat(AggregateRules.recognize("x", Column.of("px"))).isNull();
        assertThat(AggregateRules.recognize("x", call("wavg", Column.of("qty"), Column.of("px")))).isNull();
        assertThat(AggregateRules.recognize("x", call("sum", Column.of("a"), Column.of("b")))).isNull();
        assertThat(AggregateRules.recognize("x", call("+", call("sum", Column.of("a"))))).isNull();
    }
}
