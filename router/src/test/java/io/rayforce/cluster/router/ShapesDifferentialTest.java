package io.rayforce.cluster.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.router.testing.LocalShards;
import io.rayforce.cluster.router.testing.PlanTrees;
import io.rayforce.cluster.router.testing.SameAnswer;
import io.rayforce.cluster.router.testing.TradeData;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shapes beyond a single select, planned compositionally (docs/planner.md): columns and row-wise
 * computations over them stay on the shards, aggregates of vectors combine partial states, a
 * distinct is two phases, a sort with a take is a per-shard top-k, selects over selects flatten,
 * expressions over aggregates are computed at the router on the combined rows. Every answer
 * equals one native server's on the same rows (3 nodes; tables of 7, 4 and 1 shards, one empty,
 * with nulls), and the plan shows that no whole table moved.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShapesDifferentialTest {
    private LocalShards cluster;
    private ClusterClient client;

    @BeforeAll
    void load() {
        cluster = TradeData.differentialCluster();
        client = new ClusterClient(cluster);
    }

    @AfterAll
    void stop() {
        client.close();
        cluster.close();
    }

    static Stream<String> queries() {
        return Stream.of(
                // columns and aggregates of them
                "(at trades 'px)", "(at (select {from: trades where: (> qty 500)}) 'id)",
                "(sum (at trades 'qty))", "(avg (at trades 'px))", "(min (at trades 'ts))", "(max (at wide 'px))",
                "(first (at trades 'px))", "(last (at trades 'note))", "(med (at trades 'qty))", "(dev (at trades 'px))",
                "(var (at (select {from: trades where: (== sym 'IBM)}) 'px))",
                "(sum (at empty 'qty))", "(avg (at empty 'px))", "(min (at empty 'px))", "(count (at empty 'px))",
                "(sum (at (select {from: trades where: (> px 100000.0)}) 'qty))",
                "(sum (* (at trades 'px) (at trades 'qty)))", "(sum (+ (at trades 'qty) 1))",
                "(max (- (at trades 'px) 10.0))", "(count (at trades 'sym))",
                // counts and distinct values
                "(count (select {from: trades where: (> px 50.0)}))", "(count (select {from: empty}))",
                "(count (distinct (at trades 'sym)))", "(count (distinct (at wide 'px)))",
                "(distinct (at trades 'sym))", "(distinct (at trades 'side))", "(distinct (at trades 'px))",
                "(distinct (at (select {from: wide where: (> qty 200)}) 'sym))", "(distinct (at empty 'sym))",
                // sorts and takes
                "(take trades 5)", "(take trades -5)", "(take trades [10 3])", "(take (at trades 'px) 4)",
                "(xasc trades 'px)", "(xdesc trades 'qty)", "(xasc trades [sym px])",
                "(take (xdesc (select {from: trades where: (> qty 500)}) 'px) 10)",
                "(take (xasc wide 'ts) 7)", "(take (xasc empty 'px) 3)",
                // selects over selects
                "(select {from: (select {p2: (* px 2) id: id from: trades where: (> qty 100)}) where: (> p2 50.0)})",
                "(select {id: id from: (select {from: trades where: (== side 'B)}) where: (< px 30.0)})",
                "(select {s: (sum p2) from: (select {p2: (* px 2) from: trades where: (> qty 100)})})",
                "(select {s: (sum p2) n: (count p2) from: (select {p2: (* px 2) from: trades where: (> qty 100000)})})",
                "(select {s: (sum qty) by: sym from: (select {from: trades where: (> px 40.0)})})",
                "(select {from: (select {from: trades where: (> qty 100)}) desc: px take: 5})",
                // expressions over aggregates
                "(select {r: (/ (sum qty) (count qty)) by: sym from: trades})",
                "(select {r: (+ 1 (sum qty)) n: (count id) from: trades})",
                "(select {x: (sum qty) y: (count qty) r: (/ (sum qty) (count qty)) by: side from: trades})",
                "(select {spread: (- (max px) (min px)) by: sym from: trades desc: spread})",
                "(select {r: (* 2 (avg px)) by: [sym side] from: wide})",
                "(select {r: (/ (sum qty) (count qty)) from: empty})",
                "(select {r: (/ (sum qty) (count qty)) by: sym from: empty})",
                // what is left for the router, over values the shards computed
                "(+ (sum (at trades 'qty)) 1)", "(/ (sum (at trades 'px)) (count trades))",
                "(reverse (select {from: trades where: (> qty 900)}))",
                "(til (count (select {from: one where: (> qty 500)})))",
                // builtins that answer otherwise inside a select than outside one: computed as outside
                "(xbar 5 (at trades 'qty))", "(xbar (at trades 'qty) 0)", "(fill 0 (at trades 'px))",
                "(% (* 2.0 (at trades 'qty)) -2)", "(sum (xbar 5 (at trades 'qty)))", "(xbar (at trades 'qty) 10)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void clusterAnswersLikeOneServer(String query) {
        SameAnswer.assertLikeOneServer(cluster.oracle(), client, query);
    }

    @Test
    void whatEachShapeMoves() {
        // aggregates and distinct values combine partial states: no rows reach the router
        assertThat(PlanTrees.computing(client.explain("(count (distinct (at trades 'sym)))"))).startsWith("Cell __v\n  AggregateCombine [__v=COUNT_DISTINCT]");
        assertThat(PlanTrees.computing(client.explain("(sum (at trades 'qty))"))).startsWith("Cell __v\n  AggregateCombine [__v=SUM]")
                .contains("(select {__v: (sum qty) from: <shard>})");
        assertThat(PlanTrees.computing(client.explain("(distinct (at trades 'sym))"))).startsWith("ScratchEval (the engine's order of the distinct values")
                .contains("GroupCombine by [value]").contains("by: {value: sym}");
        // a sorted take is each shard's top rows, merged
        assertThat(client.explain("(take (xdesc (select {from: trades where: (> qty 500)}) 'px) 10)"))
                .contains("MergeSorted by [desc __o0] then __seq, first 10").contains("desc: px take: 10");
        // an expression over aggregates is computed at the router over the combined groups
        assertThat(PlanTrees.computing(client.explain("(select {r: (/ (sum qty) (count qty)) by: sym from: trades})")))
                .startsWith("ScratchEval (expressions over aggregates)").contains("GroupCombine by [sym]");
        // a select over a select is one select on each shard
        assertThat(client.explain("(select {from: (select {p2: (* px 2) from: trades where: (> qty 100)}) where: (> p2 50.0)})"))
                .contains("where: (and (> qty 100) (> (* px 2) 50.0))");
        // what is left for the router gets only the rows the shards keep
        assertThat(client.explain("(reverse (select {from: trades where: (> qty 900)}))"))
                .contains("__in0 <- Project").contains("where: (> qty 900)").doesNotContain("trades <- ");
    }
}
