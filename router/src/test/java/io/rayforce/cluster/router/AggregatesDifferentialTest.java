package io.rayforce.cluster.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.router.plan.RankSelect;
import io.rayforce.cluster.router.testing.LocalShards;
import io.rayforce.cluster.router.testing.PlanTrees;
import io.rayforce.cluster.router.testing.SameAnswer;
import io.rayforce.cluster.router.testing.TradeData;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every aggregate the engine has, distributed, against one native server on the same rows: the
 * weighted sums, prod, all/any, the co-moments, mode, top/bot, and the exact order statistics
 * (med, percentile, quantile) found in rounds on tables large enough (120,000 rows) that the
 * search takes several. Skewed symbols and nulls in px, qty and ts (TradeData); tables of 7
 * shards (2 replicas), 16 shards, one shard, and 6 shards of which 4 hold no rows (sharded on
 * side, which has two values), and an empty table. Each query is compared with one server's
 * answer (floats to 1e-9 relative), and the plans show what moved. Past 65,536 rows the engine
 * groups by sorting also for wavg, wsum, prod, all, any and the co-moments (GroupOrder follows it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AggregatesDifferentialTest {
    private static final int ROWS = 120_000;
    private LocalShards cluster;
    private ClusterClient client;

    @BeforeAll
    void load() {
        cluster = new LocalShards(3);
        cluster.createTable("big", "sym", 7, 2, TradeData.COLUMNS);
        cluster.createTable("many", "id", 16, 1, TradeData.COLUMNS);
        cluster.createTable("one", "id", 1, 1, TradeData.COLUMNS);
        cluster.createTable("few", "side", 6, 1, TradeData.COLUMNS);
        cluster.createTable("empty", "sym", 4, 1, TradeData.COLUMNS);
        for (int batch = 0; batch < 4; batch++) {
            RayTable rows = TradeData.rows(batch, batch * (ROWS / 4), ROWS / 4);
            cluster.insert("big", rows);
            cluster.insert("many", rows);
        }
        cluster.insert("one", TradeData.rows(11, 0, 20_000));
        cluster.insert("few", TradeData.rows(12, 0, 30_000));
        client = new ClusterClient(cluster);
    }

    @AfterAll
    void stop() {
        client.close();
        cluster.close();
    }

    static Stream<String> queries() {
        return Stream.of(
                // weighted sums: weights first, pairs with a null left out
                "(select {a: (avg px) b: (avg qty) by: sym from: big})", "(select {a: (avg px) from: many where: (> qty 500)})",
                "(select {a: (avg px) by: side from: empty})", "(select {a: (avg px) from: one})",
                "(select {w: (wavg qty px) by: sym from: big})", "(xasc (select {w: (wavg qty px) by: sym from: big}) 'sym)", "(select {w: (wavg qty px) by: sym from: one})", "(select {w: (wsum qty px) by: side from: many})",
                "(select {w: (wavg qty px) s: (wsum px qty) from: big})", "(select {w: (wavg qty px) from: one where: (> qty 990)})",
                "(select {w: (wavg qty px) from: big where: (> qty 5000)})", "(select {w: (wsum qty px) by: sym from: empty})",
                "(select {w: (+ 1 (wsum qty px)) from: big where: (> qty 5000)})", "(wavg (at big 'qty) (at big 'px))",
                "(wsum (at (select {from: many where: (> qty 5000)}) 'qty) (at (select {from: many where: (> qty 5000)}) 'px))",
                // prod: a select's is null over no values, a vector's 1
                "(select {p: (prod qty) by: sym from: big where: (< qty 3)})", "(select {p: (prod qty) from: few where: (< qty 3)})",
                "(select {p: (prod px) by: side from: big where: (< qty 3)})", "(select {p: (prod qty) from: big where: (> qty 5000)})",
                "(select {p: (prod qty) by: sym from: big where: (nil? qty)})", "(xasc (select {p: (prod qty) by: sym from: big}) 'sym)", "(select {p: (prod qty) by: sym from: big})",
                "(select {a: (all (> qty 1)) n: (any (> px 99.9)) by: sym from: big})",
                "(select {c: (cov px qty) s: (scov px qty) r: (pearson_corr px qty) by: sym from: big})",
                "(prod (at (select {from: big where: (> qty 5000)}) 'qty))", "(prod (at (select {from: big where: (< qty 3)}) 'qty))",
                "(select {p: (+ 1 (prod qty)) from: big where: (> qty 5000)})",
                // all, any
                "(xasc (select {a: (all (> qty 1)) n: (any (> px 99.9)) by: sym from: big}) 'sym)",
                "(select {a: (all (> qty 1)) n: (any (> px 99.9)) by: sym from: few})", "(select {a: (all qty) n: (any px) from: many})",
                "(select {a: (all qty) n: (any qty) from: big where: (> qty 5000)})", "(all (at big 'qty))", "(any (at empty 'qty))",
                // co-moments
                "(xasc (select {c: (cov px qty) s: (scov px qty) r: (pearson_corr px qty) by: sym from: big}) 'sym)",
                "(select {c: (cov px qty) s: (scov px qty) r: (pearson_corr px qty) by: sym from: one})",
                "(select {c: (cov px qty) s: (scov qty px) r: (pearson_corr px qty) from: many})",
                "(select {c: (cov px qty) from: big where: (> qty 5000)})", "(select {s: (scov px qty) by: sym from: one where: (> qty 998)})",
                "(cov (at big 'px) (at big 'qty))", "(pearson_corr (at one 'qty) (at one 'px))",
                // mode: most frequent, the first of the ties
                "(select {m: (mode qty) by: sym from: big})", "(select {m: (mode sym) n: (count id) by: side from: many})",
                "(select {m: (mode px) from: big})", "(select {m: (mode note) from: few})", "(select {m: (mode qty) from: big where: (> qty 5000)})",
                "(select {m: (mode qty) by: sym from: empty})", "(mode (at big 'sym))", "(mode (at many 'ts))",
                "(select {m: (+ 1 (mode qty)) by: side from: big})",
                // top and bot: per group a vector (nulls left out), of a vector nulls kept; in an ungrouped select the type's zero
                "(select {t: (top px 3) by: sym from: big})", "(select {b: (bot qty 2) n: (count id) by: side from: many})",
                "(select {t: (top px 3) from: big})", "(select {t: (bot ts 2) from: big})", "(top (at big 'px) 5)",
                "(bot (at many 'qty) 7)", "(top (at empty 'px) 3)", "(select {t: (top px 3) by: sym from: empty})",
                // order statistics, exact, found in rounds
                "(select {m: (med px) by: sym from: big})", "(select {m: (med qty) from: big})", "(select {m: (med ts) by: side from: many})",
                "(select {m: (med d) p: (percentile qty 90) by: sym from: big})", "(select {p: (percentile px 0.9) from: big})",
                "(select {q: (quantile qty 0.25) from: many})", "(select {q: (quantile px 0.999) by: side from: big})",
                "(select {p: (+ 0 (percentile px 90)) from: big})", "(select {q: (quantile (* px 2) 0.3) by: sym from: few})",
                "(select {m: (med px) by: sym from: big where: (> qty 500)})", "(select {m: (med px) from: big where: (> qty 5000)})",
                "(select {m: (med px) s: (sum qty) from: one})", "(select {m: (med px) by: sym from: empty})",
                "(med (at big 'px))", "(percentile (at many 'px) 99)", "(quantile (at one 'qty) 0.1)", "(med (at empty 'px))",
                "(select {r: (- (percentile px 75) (percentile px 25)) by: side from: big})",
                "(select {m: (med (+ px 0.5)) n: (count id) by: {b: (xbar qty 100)} from: many})",
                "(select {m: (med px) q: (quantile qty 0.75) by: [sym side] from: many})",
                "(select {m: (med px) o: (mode qty) from: big where: (== sym 'IBM)})",
                "(select {w: (wavg qty px) c: (cov px qty) from: big where: (== sym 'NOPE)})",
                "(select {w: (wavg qty px) m: (med px) from: big where: (== sym 'NOPE)})",
                // what the engine refuses, refused alike
                "(select {m: (med px) r: (+ 1 (sum qty)) from: big})", "(select {m: (med sym) from: big})",
                "(select {p: (percentile px 101) from: big})");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void clusterAnswersLikeOneServer(String query) {
        SameAnswer.assertLikeOneServer(cluster.oracle(), client, query);
    }

    @Test
    void theAggregatesRunOnTheShards() {
        // an f64 column's average sums it as it is; an i64 column's in f64 (an i64 sum would wrap)
        assertThat(client.explain("(select {a: (avg px) b: (avg qty) by: sym from: big})"))
                .contains("a: (sum px) __a_n: (- (count px) (sum (nil? px))) b: (sum (as 'F64 qty))");
        assertThat(client.explain("(select {w: (wavg qty px) by: sym from: big})")).contains("GroupCombine by [sym] [w=WAVG")
                .contains("w: (wsum qty px) __w_w: (sum (* (as 'F64 qty) (not (nil? px))))").doesNotContain("ScratchEval");
        assertThat(PlanTrees.computing(client.explain("(select {p: (percentile px 0.9) from: big})"))).startsWith("RankSelect [p=MEDIAN]")
                .contains("AggregateCombine [p=MEDIAN]").doesNotContain("ScratchEval");
        assertThat(PlanTrees.computing(client.explain("(select {m: (med px) by: sym from: big})"))).startsWith("RankSelect [m=MEDIAN]")
                .contains("GroupCombine by [sym] [m=MEDIAN");
        assertThat(PlanTrees.computing(client.explain("(select {m: (mode qty) by: sym from: big})"))).startsWith("ModeCombine [m=MODE]");
        assertThat(PlanTrees.computing(client.explain("(top (at big 'px) 5)"))).startsWith("Cell __v\n  AggregateCombine [__v=TOP]")
                .contains("(top (at (select {__v: px from: <shard>}) '__v) 5)");
        assertThat(PlanTrees.computing(client.explain("(cov (at big 'px) (at big 'qty))"))).startsWith("Cell __v\n  AggregateCombine [__v=COV]");
    }

    /**
     * The median of each symbol over 120,000 rows: several rounds of counts, then the few values
     * left; what reaches the router is a small multiple of the groups, far below the table's
     * values (px alone is 960,000 bytes).
     */
    @Test
    void theSearchMovesInProportionToTheGroupsNotTheTable() {
        QueryResult r = client.query("(select {m: (med px) by: sym from: big})", QueryOptions.DEFAULT);
        SameAnswer.assertSame("med", cluster.oracle().execute("(select {m: (med px) by: sym from: big})"), r.value());
        long[] search = moved(r.plan(), "RankSelect");
        long[] combine = moved(r.plan(), "Route big");
        long groups = ((RayTable) r.value()).rowCount();
        System.out.printf("med of %d groups over %d rows: the search moved %d rows, %d bytes%n", groups, ROWS, search[0], search[1]);
        // the partials: one row per group and shard
        assertThat(combine[0]).isLessThanOrEqualTo(groups * 7);
        // several rounds, each a row per open group from the shards holding it
        assertThat(search[0]).as(r.plan()).isGreaterThanOrEqualTo(3 * groups);
        // the rounds: per round and shard a row of counts per open group (or per bucket), and at most 256 values per group at the end
        assertThat(search[1]).as(r.plan()).isLessThan(groups * (RankSelect.PER_GROUP * 8 + 20 * 7 * 300));
        assertThat(search[1]).isLessThan(ROWS * 8 / 5);
    }

    /** The rows and bytes the plan line starting with {@code step} says it moved. */
    private static long[] moved(String plan, String step) {
        for (String line : plan.split("\n")) {
            if (line.trim().startsWith(step)) {
                Matcher m = Pattern.compile("\\[moved (\\d+) rows, (\\d+) bytes]").matcher(line);
                if (m.find()) {
                    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
                }
            }
        }
        throw new AssertionError("no moved note on " + step + " in\n" + plan);
    }
}
