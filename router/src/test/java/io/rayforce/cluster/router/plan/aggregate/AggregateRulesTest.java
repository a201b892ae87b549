package io.rayforce.cluster.router.plan.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Expr;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.I64Atom;
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
            {"dev_pop", "DEV"}, {"stddev_pop", "DEV"}, {"stddev", "STDDEV"}, {"prod", "PROD"}, {"all", "ALL"}, {"any", "ANY"},
            {"mode", "MODE"}};
        for (String[] e : expected) {
            assertThat(AggregateRules.forFunction(e[0])).as(e[0]).isNotNull();
            assertThat(AggregateRules.forFunction(e[0]).name()).as(e[0]).isEqualTo(e[1]);
            assertThat(AggregateRules.isAggregate(e[0])).isTrue();
        }
        for (String other : new String[] {"distinct", "+", "til"}) {
            assertThat(AggregateRules.forFunction(other)).as(other).isNull();
            assertThat(AggregateRules.isAggregate(other)).as(other).isFalse();
        }
        // of two arguments: not one-argument rules, but aggregates
        for (String two : new String[] {"wavg", "wsum", "cov", "scov", "pearson_corr", "percentile", "quantile", "top", "bot"}) {
            assertThat(AggregateRules.forFunction(two)).as(two).isNull();
            assertThat(AggregateRules.isAggregate(two)).as(two).isTrue();
        }
        // every aggregate of the engine's builtin table has a rule
        assertThat(AggregateRules.functions()).containsAll(java.util.Arrays.stream(new String[] {"sum", "count", "avg", "min", "max",
            "first", "last", "med", "mode", "dev", "stddev", "stddev_pop", "dev_pop", "var", "var_pop", "prod", "all", "any", "wavg",
            "wsum", "cov", "scov", "pearson_corr", "percentile", "quantile", "top", "bot"}).toList());
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
    void twoArgumentAggregatesKeepBothWeightsFirst() {
        Aggregate w = AggregateRules.recognize("w", call("wavg", Column.of("qty"), Column.of("px")));
        assertThat(w.rule().name()).isEqualTo("WAVG");
        assertThat(w.argument()).isEqualTo(Column.of("qty"));
        assertThat(w.more()).containsExactly(Column.of("px"));
        assertThat(w.arguments()).containsExactly(Column.of("qty"), Column.of("px"));
        assertThat(AggregateRules.recognize("c", call("pearson_corr", Column.of("a"), call("*", Column.of("b"), Column.of("b"))))
                .rule().name()).isEqualTo("PEARSON");
        // a literal where a column is expected: the engine's own (type) error
        assertThat(AggregateRules.recognize("w", call("wavg", Column.of("qty"), lit(I64Atom.of(2))))).isNull();
    }

    @Test
    void parametersMustBeLiteralsTheEngineAccepts() {
        assertThat(AggregateRules.recognize("p", call("percentile", Column.of("px"), lit(I64Atom.of(90)))).rule().name())
                .isEqualTo("PERCENTILE");
        assertThat(AggregateRules.recognize("p", call("percentile", Column.of("px"), lit(F64Atom.of(0.9))))).isNotNull();
        assertThat(AggregateRules.recognize("q", call("quantile", Column.of("px"), lit(F64Atom.of(0.25)))).rule().name())
                .isEqualTo("QUANTILE");
        assertThat(AggregateRules.recognize("t", call("top", Column.of("px"), lit(I64Atom.of(3)))).rule().name()).isEqualTo("TOP");
        assertThat(AggregateRules.recognize("b", call("bot", Column.of("px"), lit(I64Atom.of(1)))).rule().name()).isEqualTo("BOT");
        // what the engine refuses (domain, range, type) it answers itself
        assertThat(AggregateRules.recognize("p", call("percentile", Column.of("px"), lit(I64Atom.of(101))))).isNull();
        assertThat(AggregateRules.recognize("p", call("percentile", Column.of("px"), lit(F64Atom.of(-0.5))))).isNull();
        assertThat(AggregateRules.recognize("q", call("quantile", Column.of("px"), lit(F64Atom.of(1.5))))).isNull();
        assertThat(AggregateRules.recognize("q", call("quantile", Column.of("px"), lit(I64Atom.NULL)))).isNull();
        assertThat(AggregateRules.recognize("q", call("quantile", Column.of("px"), Column.of("q")))).isNull();
        assertThat(AggregateRules.recognize("t", call("top", Column.of("px"), lit(I64Atom.of(0))))).isNull();
        assertThat(AggregateRules.recognize("t", call("top", Column.of("px"), lit(F64Atom.of(2.0))))).isNull();
    }

    @Test
    void whereAnAggregateStandsDecidesHowTheEngineComputesIt() {
        Aggregate prod = AggregateRules.recognize("p", call("prod", Column.of("x")));
        Aggregate pct = AggregateRules.recognize("p", call("percentile", Column.of("x"), lit(I64Atom.of(90))));
        Aggregate top = AggregateRules.recognize("t", call("top", Column.of("x"), lit(I64Atom.of(2))));
        Aggregate med = AggregateRules.recognize("m", call("med", Column.of("x")));
        Aggregate mode = AggregateRules.recognize("m", call("mode", Column.of("x")));
        AggregateRules.Place vector = AggregateRules.Place.VECTOR;
        assertThat(AggregateRules.at(vector, prod)).isSameAs(prod);
        assertThat(AggregateRules.at(vector, top)).isSameAs(top);
        // in a select, prod is null over no values; mode counts empty strings
        assertThat(AggregateRules.at(AggregateRules.Place.GROUPED, prod).rule().name()).isEqualTo("PROD_SELECT");
        assertThat(AggregateRules.at(AggregateRules.Place.UNGROUPED, prod).rule().name()).isEqualTo("PROD_SELECT");
        assertThat(AggregateRules.at(AggregateRules.Place.GROUPED, mode).rule()).isNotSameAs(mode.rule());
        // an ungrouped select of aggregates only: percentile is the median, top the type's zero
        Aggregate asMedian = AggregateRules.at(AggregateRules.Place.UNGROUPED, pct);
        assertThat(asMedian.rule().name()).isEqualTo("MEDIAN");
        assertThat(asMedian.more()).isEmpty();
        assertThat(AggregateRules.at(AggregateRules.Place.GROUPED, pct)).isSameAs(pct);
        assertThat(AggregateRules.at(AggregateRules.Place.UNGROUPED, top).rule().name()).isEqualTo("ZERO(top)");
        assertThat(AggregateRules.at(AggregateRules.Place.GROUPED, top)).isSameAs(top);
        // with expressions over aggregates: as of vectors, but med (nyi) and top (many rows) are not distributed
        assertThat(AggregateRules.at(AggregateRules.Place.WITH_EXPRESSIONS, prod)).isSameAs(prod);
        assertThat(AggregateRules.at(AggregateRules.Place.WITH_EXPRESSIONS, pct)).isSameAs(pct);
        assertThat(AggregateRules.at(AggregateRules.Place.WITH_EXPRESSIONS, med)).isNull();
        assertThat(AggregateRules.at(AggregateRules.Place.WITH_EXPRESSIONS, top)).isNull();
    }

    @Test
    void theWeightedSumsAndCoMomentsHaveNoRowWhenTheFilterMatchesNone() {
        assertThat(AggregateRules.noRowWhenNoneMatch(AggregateRules.recognize("w", call("wsum", Column.of("a"), Column.of("b")))))
                .isTrue();
        assertThat(AggregateRules.noRowWhenNoneMatch(AggregateRules.recognize("c", call("scov", Column.of("a"), Column.of("b")))))
                .isTrue();
        assertThat(AggregateRules.noRowWhenNoneMatch(AggregateRules.recognize("s", call("sum", Column.of("a"))))).isFalse();
    }

    @Test
    void anythingElseIsNotSplit() {
        assertThat(AggregateRules.recognize("x", Column.of("px"))).isNull();
        assertThat(AggregateRules.recognize("x", call("sum", Column.of("a"), Column.of("b")))).isNull();
        assertThat(AggregateRules.recognize("x", call("wavg", Column.of("a"), Column.of("b"), Column.of("c")))).isNull();
        assertThat(AggregateRules.recognize("x", call("+", call("sum", Column.of("a"))))).isNull();
    }

    private static Expr lit(io.rayforce.cluster.client.value.RayValue v) {
        return new Literal(v);
    }
}
