package io.rayforce.cluster.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Temporals;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.router.testing.LocalShards;
import io.rayforce.cluster.router.testing.SameAnswer;
import io.rayforce.cluster.router.testing.TradeData;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The differential oracle for joins: co-located (trades and quotes sharded on sym), against a
 * replicated dimension table, with the right side shipped (a table sharded on another column),
 * and on the scratch engine; each join kind with unmatched rows and several matches.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JoinDifferentialTest {
    private LocalShards cluster;
    private ClusterClient client;

    @BeforeAll
    void load() {
        cluster = new LocalShards(3);
        cluster.createTable("trades", "sym", 5, 2, TradeData.COLUMNS);
        cluster.createTable("quotes", "sym", 5, 2, "sym:symbol", "ts:timestamp", "bid:f64", "ask:f64");
        cluster.createTable("dim", null, 1, 1, "sym:symbol", "sector:symbol", "lot:i64");
        cluster.createTable("byid", "id", 3, 1, "id:i64", "tag:symbol");
        cluster.createTable("L", "k", 2, 1, "k:i64", "a:i64");
        cluster.createTable("R", "k", 2, 1, "k:i64", "b:i64");
        cluster.insert("trades", TradeData.rows(11, 0, 300));
        cluster.insert("trades", TradeData.rows(12, 300, 100));
        cluster.insert("quotes", quotes(13, 250));
        cluster.insert("dim", RayTable.builder().column("sym", SymbolVector.of("AAPL", "MSFT", "GOOG", "IBM", "AMZN", ""))
                .column("sector", SymbolVector.of("tech", "tech", "tech", "services", "retail", "none"))
                .column("lot", I64Vector.of(100, 100, 50, 10, 1, Nulls.I64)).build());
        cluster.insert("byid", RayTable.builder().column("id", I64Vector.of(3, 5, 5, 8, 400, 13, 21))
                .column("tag", SymbolVector.of("x", "y", "z", "", "w", "x", "q")).build());
        cluster.insert("L", RayTable.builder().column("k", I64Vector.of(1, 2, 3, 4, 3)).column("a", I64Vector.of(10, 20, 30, 40, 31)).build());
        cluster.insert("R", RayTable.builder().column("k", I64Vector.of(2, 3, 3, 5, 3)).column("b", I64Vector.of(200, 300, 301, 500, 302)).build());
        client = new ClusterClient(cluster);
    }

    static RayTable quotes(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] syms = {"AAPL", "MSFT", "GOOG", "IBM", "AMZN", "META", "NVDA"};
        String[] sym = new String[n];
        long[] ts = new long[n];
        double[] bid = new double[n];
        double[] ask = new double[n];
        long t0 = Temporals.nanos(java.time.Instant.parse("2024-01-15T09:30:00Z"));
        for (int i = 0; i < n; i++) {
            sym[i] = syms[r.nextInt(syms.length)];
            ts[i] = t0 + r.nextLong(8L * 3600 * 1_000_000_000L);
            bid[i] = r.nextInt(15) == 0 ? Nulls.F64 : Math.round(r.nextDouble() * 10_000) / 100.0;
            ask[i] = bid[i] + 0.01;
        }
        return RayTable.builder().column("sym", new SymbolVector(sym)).column("ts", new TimestampVector(ts))
                .column("bid", new F64Vector(bid)).column("ask", new F64Vector(ask)).build();
    }

    @AfterAll
    void stop() {
        client.close();
        cluster.close();
    }

    static Stream<String> queries() {
        return Stream.of(
                // several matches, unmatched rows, each key join kind (co-located on k)
                "(left-join [k] L R)", "(inner-join [k] L R)", "(anti-join [k] L R)", "(full-join [k] L R)",
                // against the replicated dimension table
                "(left-join [sym] trades dim)", "(inner-join [sym] trades dim)", "(anti-join [sym] trades dim)",
                "(inner-join [sym] (select {id: id sym: sym px: px from: trades where: (> px 50.0)}) dim)",
                // co-located trades and quotes
                "(left-join [sym] (select {id: id sym: sym from: trades where: (< id 40)}) quotes)",
                "(asof-join [sym ts] trades quotes)",
                "(asof-join [sym ts] (select {id: id sym: sym ts: ts from: trades where: (> qty 100)}) quotes)",
                "(window-join [sym ts] (list (- (at trades 'ts) 1800000000000) (+ (at trades 'ts) 0)) trades quotes {n: (count bid) mb: (max bid)})",
                "(window-join1 [sym ts] (list (- (at trades 'ts) 1800000000000) (+ (at trades 'ts) 60000000000)) trades quotes {n: (count bid) s: (sum bid)})",
                // the right side shipped to every shard (byid is sharded on id, trades on sym)
                "(left-join [id] trades byid)", "(inner-join [id] trades byid)", "(anti-join [id] trades byid)",
                "(asof-join [ts] (select {id: id ts: ts from: trades where: (< id 50)}) quotes)",
                // full joins that are not co-located: shuffled
                "(full-join [sym] trades dim)", "(full-join [id] trades byid)",
                // on the scratch engine
                "(left-join [sym] dim trades)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void clusterJoinsLikeOneServer(String query) {
        RayValue expected = cluster.oracle().execute(query);
        RayValue actual = client.execute(query);
        SameAnswer.assertSame(query, expected, actual);
    }

    @Test
    void joinsRunWhereTheDataIs() {
        assertThat(client.explain("(left-join [k] L R)")).startsWith("JoinOrder by left row").contains("left, co-located with R");
        assertThat(client.explain("(asof-join [sym ts] trades quotes)")).contains("co-located with quotes");
        assertThat(client.explain("(left-join [sym] trades dim)")).contains("with the local copy of dim");
        assertThat(client.explain("(left-join [id] trades byid)")).contains("right side byid shipped");
        // a full join against a replicated table: its rows go to the left table's shards, each joined once
        assertThat(client.explain("(full-join [sym] trades dim)"))
                .contains("shuffled: right side dim repartitioned by sym to the 5 shards of trades");
        assertThat(client.explain("(full-join [id] trades byid)")).contains("shuffled: left side trades repartitioned by id");
        // a replicated left side still runs on the scratch engine
        assertThat(client.explain("(left-join [sym] dim trades)")).startsWith("ScratchEval (join not distributed)");
    }
}
