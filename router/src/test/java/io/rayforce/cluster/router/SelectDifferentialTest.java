package io.rayforce.cluster.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.testing.LocalShards;
import io.rayforce.cluster.router.testing.SameAnswer;
import io.rayforce.cluster.router.testing.TradeData;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The differential oracle for selects: every query's answer from the cluster (3 nodes, tables
 * with 1, 4 and 7 shards, one of them empty) equals one native server's answer on the same rows
 * loaded in the same order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SelectDifferentialTest {
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
                // whole tables and counts
                "trades", "(count trades)", "empty", "(count empty)", "one",
                // filters and projections
                "(select {from: trades})",
                "(select {from: trades where: (> px 50.0)})",
                "(select {id: id p: (* px 2) from: trades where: (and (> qty 500) (< px 70.0))})",
                "(select {id: id s: sym from: trades where: (== sym 'AAPL)})",
                "(select {id: id from: trades where: (in sym [IBM MSFT])})",
                "(select {id: id n: note from: trades where: (like note \"n1*\")})",
                "(select {from: trades where: (nil? px)})",
                "(select {from: empty where: (> px 1.0)})",
                "(select {id: id t: ts from: wide where: (> ts 2024.01.15D12:00:00.000000000)})",
                // order and take
                "(select {id: id px: px from: trades asc: px})",
                "(select {id: id qty: qty from: trades desc: qty})",
                "(select {id: id from: trades desc: sym asc: px})",
                "(select {from: trades asc: ts take: 10})",
                "(select {id: id from: trades desc: px take: 25})",
                "(select {from: trades take: 10})",
                "(select {from: trades take: -10})",
                "(select {from: trades take: [5 10]})",
                "(select {from: trades desc: qty take: [3 4]})",
                "(select {from: trades asc: px take: -5})",
                "(select {from: trades take: [-7 3]})",
                "(select {from: trades take: 100000})",
                "(select {from: empty asc: px take: 3})",
                // aggregates
                "(select {s: (sum qty) n: (count id) mn: (min px) mx: (max px) from: trades})",
                "(select {a: (avg px) f: (first px) l: (last px) from: trades})",
                "(select {m: (med px) dc: (count (distinct sym)) from: trades})",
                "(select {v: (var px) vp: (var_pop px) d: (dev px) sd: (stddev px) from: trades})",
                "(select {s: (sum qty) m: (med qty) from: trades where: (== sym 'IBM)})",
                "(select {s: (sum qty) n: (count id) a: (avg px) f: (first ts) from: trades where: (> px 1000.0)})",
                "(select {s: (sum qty) n: (count id) from: empty})",
                "(select {f: (first sym) l: (last note) mn: (min sym) mx: (max d) from: wide})",
                // group by
                "(select {s: (sum qty) n: (count id) by: sym from: trades})",
                // a key that names no column: one group, the key named as the engine names it ("" or key)
                "(select {n: (count px) by: 1 from: trades})", "(select {n: (count px) by: (+ 1 2) from: trades})",
                "(select {n: (count px) by: \"s\" from: wide})", "(select {n: (count px) by: true from: empty})",
                "(select {from: trades by: 2.5})",
                // a bare key expression: named after its last column (or key), groups sorted by key with aggregates,
                // and without aggregates the key in place of that column (the engine's rules; computed as it does)
                "(select {n: (count id) by: (xbar qty 10) from: trades})",
                "(select {s: (sum qty) a: (avg px) by: (> px 50.0) from: trades})",
                "(select {n: (count id) by: (== sym 'IBM) from: trades where: (> qty 10)})",
                "(select {qty: (count id) by: (xbar qty 10) from: trades})",
                "(select {n: (count id) s: (sum px) by: (+ qty px) from: trades})",
                "(select {from: trades by: (xbar qty 100)})",
                "(select {f: (first px) by: (neg qty) from: trades})",
                "(select {a: (avg px) mn: (min px) mx: (max ts) by: side from: trades})",
                "(select {s: (sum qty) by: [sym side] from: trades})",
                "(select {f: (first px) l: (last px) by: sym from: trades})",
                "(select {m: (med px) dc: (count (distinct note)) by: sym from: trades})",
                "(select {v: (var px) sd: (stddev qty) by: sym from: trades where: (> qty 10)})",
                "(select {sym: sym total: (sum qty) by: {sym: sym} from: trades})",
                "(select {s: (sum qty) by: sym from: trades desc: s})",
                "(select {s: (sum qty) by: sym from: trades asc: sym take: 3})",
                "(select {n: (count id) by: {big: (> px 50.0)} from: trades})",
                "(select {n: (count id) by: d from: wide where: (> qty 100)})",
                "(select {s: (sum qty) by: sym from: trades where: (> px 100000.0)})",
                "(select {s: (sum qty) by: sym from: empty})",
                // shapes that run on the router's scratch engine
                "(select {by: sym from: trades})",
                "(select {s: (sum qty) id: id from: one})",
                "(select {x: (+ (sum qty) 1) from: trades})",
                "(select {w: (wavg qty px) by: side from: trades})",
                "(+ 1 2)",
                "(til 5)",
                "(count (select {from: trades where: (> px 50.0)}))");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void clusterAnswersLikeOneServer(String query) {
        RayValue expected = cluster.oracle().execute(query);
        RayValue actual = client.execute(query);
        SameAnswer.assertSame(query, expected, actual);
    }

    /**
     * {@code (modify t 'c f)}: a new table with column c replaced by (f c). Row-wise functions (a
     * unary builtin, a lambda of row-wise calls of its parameter) become a select that stays on the
     * shards; others are computed over the merged table; the engine's errors keep their codes.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("modifies")
    void modifyAnswersLikeOneServer(String query, boolean onShards) {
        RayValue expected;
        try {
            expected = cluster.oracle().execute(query);
        } catch (RayforceEvaluationError e) {
            assertThatThrownBy(() -> client.execute(query)).as(query).isInstanceOfSatisfying(RayforceEvaluationError.class,
                    c -> assertThat(c.code()).as("%s: %s", query, c.getMessage()).isEqualTo(e.code()));
            return;
        }
        SameAnswer.assertSame(query, expected, client.execute(query));
        String plan = client.explain(query);
        if (onShards) {
            assertThat(plan).as(plan).doesNotContain("Scratch");
        } else {
            assertThat(plan).as(plan).contains("Scratch");
        }
    }

    static Stream<Arguments> modifies() {
        return Stream.of(
                Arguments.of("(modify trades 'px neg)", true),
                Arguments.of("(modify trades 'qty (fn [x] (* x 2)))", true),
                Arguments.of("(modify trades 'px (fn [q] (+ (* q 2.0) (sqrt q))))", true),
                Arguments.of("(modify trades 'sym (fn [s] s))", true),
                Arguments.of("(modify trades 'px (fn [p] (nil? p)))", true),
                Arguments.of("(modify trades 'ts hh)", true),
                Arguments.of("(modify empty 'px sqrt)", true),
                Arguments.of("(modify one 'qty abs)", true),
                // not row by row: the whole column is the function's argument
                Arguments.of("(modify trades 'qty (fn [x] (- x (min x))))", false),
                Arguments.of("(modify trades 'qty (fn [x] (+ x (count x))))", false),
                // a builtin that answers otherwise inside a select: the function is called with the column
                Arguments.of("(modify trades 'qty (fn [x] (xbar x 0)))", false),
                Arguments.of("(modify trades 'px (fn [p] (fill 0 p)))", false),
                Arguments.of("(modify trades 'qty (fn [x] (xbar x 10)))", false),
                // the engine's errors
                Arguments.of("(modify trades 'nope neg)", false),
                Arguments.of("(modify trades 'qty +)", false),
                Arguments.of("(modify trades 'qty 5)", false),
                Arguments.of("(modify trades 'qty (fn [x] (sum x)))", false),
                Arguments.of("(modify trades 'qty (fn [x y] (+ x y)))", false),
                Arguments.of("(modify trades 'sym sqrt)", false),
                Arguments.of("(modify 'trades 'qty neg)", false));
    }
}
