package io.rayforce.cluster.router.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.testing.RayforcePy;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Temporals;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.router.testing.SameAnswer;
import io.rayforce.cluster.router.testing.TradeData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The differential oracle through the gateway: for every query of a broad corpus (selects,
 * filters, ordering and takes, aggregates, group-bys, each join kind, with nulls, skewed keys,
 * empty shards and an empty table), the cluster's answer through the gateway equals one native
 * server's answer on the same rows loaded in the same order. Run for tables of 1, 3 and 8 shards,
 * with this project's Java TCPClient and with rayforce-py's TCPClient as the client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayDifferentialTest {
    private static final int[] SHARD_COUNTS = {1, 3, 8};

    private final Map<Integer, GatewayFixture> clusters = new LinkedHashMap<>();
    private final Map<Integer, TCPClient> clients = new LinkedHashMap<>();

    @BeforeAll
    void load() {
        for (int shards : SHARD_COUNTS) {
            GatewayFixture f = new GatewayFixture(3, GatewayOptions.DEFAULT);
            clusters.put(shards, f);
            var s = f.shards();
            s.createTable("trades", "sym", shards, 2, TradeData.COLUMNS);
            s.createTable("wide", "id", shards, 1, TradeData.COLUMNS);
            s.createTable("empty", "sym", shards, 2, TradeData.COLUMNS);
            s.createTable("quotes", "sym", shards, 2, "sym:symbol", "ts:timestamp", "bid:f64", "ask:f64");
            s.createTable("dim", null, 1, 1, "sym:symbol", "sector:symbol", "lot:i64");
            for (int batch = 0; batch < 3; batch++) {
                s.insert("trades", TradeData.rows(batch, batch * 400, 400));
                s.insert("wide", TradeData.rows(50 + batch, batch * 200, 200));
            }
            s.insert("quotes", quotes(7, 300));
            s.insert("dim", RayTable.builder().column("sym", SymbolVector.of("AAPL", "MSFT", "GOOG", "IBM", "AMZN", ""))
                    .column("sector", SymbolVector.of("tech", "tech", "tech", "services", "retail", "none"))
                    .column("lot", I64Vector.of(100, 100, 50, 10, 1, Nulls.I64)).build());
            clients.put(shards, f.connect());
        }
    }

    @AfterAll
    void stop() {
        clusters.values().forEach(GatewayFixture::close);
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

    static List<String> corpus() {
        return List.of(
                // whole tables and counts
                "trades", "(count trades)", "empty", "(count empty)", "dim", "(count wide)",
                // filters and projections, nulls
                "(select {from: trades where: (> px 50.0)})",
                "(select {id: id p: (* px 2) from: trades where: (and (> qty 500) (< px 70.0))})",
                "(select {id: id s: sym from: trades where: (== sym 'AAPL)})",
                "(select {id: id from: trades where: (in sym [IBM MSFT])})",
                "(select {id: id n: note from: trades where: (like note \"n1*\")})",
                "(select {from: trades where: (nil? px)})",
                "(select {id: id from: trades where: (nil? qty)})",
                "(select {id: id s: sym from: trades where: (== sym ')})",
                "(select {from: empty where: (> px 1.0)})",
                "(select {id: id t: ts from: wide where: (> ts 2024.01.15D12:00:00.000000000)})",
                // order and take
                "(select {id: id px: px from: trades asc: px})",
                "(select {id: id qty: qty from: trades desc: qty})",
                "(select {from: trades asc: ts take: 10})",
                "(select {id: id from: trades desc: px take: 25})",
                "(select {from: trades take: 10})",
                "(select {from: trades take: -10})",
                "(select {from: trades take: [5 10]})",
                "(select {from: empty asc: px take: 3})",
                // aggregates
                "(select {s: (sum qty) n: (count id) mn: (min px) mx: (max px) from: trades})",
                "(select {a: (avg px) f: (first px) l: (last px) from: trades})",
                "(select {m: (med px) dc: (count (distinct sym)) from: trades})",
                "(select {v: (var px) d: (dev px) sd: (stddev px) from: trades})",
                "(select {s: (sum qty) n: (count id) from: empty})",
                "(select {s: (sum qty) n: (count id) a: (avg px) from: trades where: (> px 1000.0)})",
                // group-bys (skewed symbols, the empty symbol among them)
                "(select {s: (sum qty) n: (count id) by: sym from: trades})",
                "(select {a: (avg px) mn: (min px) mx: (max ts) by: side from: trades})",
                "(select {s: (sum qty) by: [sym side] from: trades})",
                "(select {f: (first px) l: (last px) by: sym from: trades})",
                "(select {m: (med px) dc: (count (distinct note)) by: sym from: trades})",
                "(select {s: (sum qty) by: sym from: trades desc: s})",
                "(select {s: (sum qty) by: sym from: trades asc: sym take: 3})",
                "(select {n: (count id) by: {big: (> px 50.0)} from: trades})",
                "(select {n: (count id) by: d from: wide where: (> qty 100)})",
                "(select {s: (sum qty) by: sym from: empty})",
                "(select {w: (wavg qty px) by: side from: trades})",
                // joins: left, inner, anti, full, asof, window
                "(left-join [sym] trades dim)",
                "(inner-join [sym] trades dim)",
                "(anti-join [sym] trades dim)",
                "(full-join [sym] trades dim)",
                "(inner-join [sym] (select {id: id sym: sym px: px from: trades where: (> px 50.0)}) dim)",
                "(left-join [sym] (select {id: id sym: sym from: trades where: (< id 40)}) quotes)",
                "(asof-join [sym ts] trades quotes)",
                "(asof-join [sym ts] (select {id: id sym: sym ts: ts from: trades where: (> qty 100)}) quotes)",
                "(window-join [sym ts] (list (- (at trades 'ts) 1800000000000) (+ (at trades 'ts) 0)) trades quotes {n: (count bid) mb: (max bid)})",
                "(window-join1 [sym ts] (list (- (at trades 'ts) 1800000000000) (+ (at trades 'ts) 60000000000)) trades quotes {n: (count bid) s: (sum bid)})",
                "(left-join [id] trades (select {id: id tag: sym from: wide}))",
                "(left-join [sym] empty dim)",
                // scalars and errors answered like the engine
                "(+ 1 2)", "(til 5)", "(count (select {from: trades where: (> px 50.0)}))",
                "(+ 1 'a)", "(select {from: trades where: (> nosuchcol 1)})");
    }

    static Stream<Arguments> queries() {
        List<Arguments> out = new ArrayList<>();
        for (int shards : SHARD_COUNTS) {
            for (String q : corpus()) {
                out.add(Arguments.of(shards, q));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} shards: {1}")
    @MethodSource("queries")
    void javaClientGetsTheOneServerAnswer(int shards, String query) {
        TCPClient oracle = clusters.get(shards).shards().oracle();
        RayValue expected;
        try {
            expected = oracle.execute(query);
        } catch (RayforceEvaluationError e) {
            String code = e.code();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> clients.get(shards).execute(query))
                    .isInstanceOfSatisfying(RayforceEvaluationError.class, g -> assertThat(g.code()).isEqualTo(code));
            return;
        }
        SameAnswer.assertSame(query, expected, clients.get(shards).execute(query));
    }

    @ParameterizedTest(name = "{0} shards")
    @ValueSource(ints = {1, 3, 8})
    void rayforcePyClientGetsTheOneServerAnswer(int shards) {
        List<String> python = new ArrayList<>();
        for (String q : corpus()) {
            python.add(pythonString(q)); // a Python str: sent as Rayfall source
        }
        // rayforce-py's own query objects, sent as expression trees
        python.add("Table('trades').select('id', 'px').where(Column('px') > 25)");
        python.add("Table('trades').select(total=Column('qty').sum(), n=Column('id').count()).by('sym')");
        python.add("Table('trades').select(a=Column('px').mean(), mn=Column('px').min(), mx=Column('px').max()).by('side')");
        python.add("Table('trades').where(Column('sym').isin(['IBM', 'MSFT']))");
        String[] expressions = python.toArray(new String[0]);
        List<RayforcePy.Result> viaGateway = RayforcePy.run(clusters.get(shards).port(), expressions);
        String oracleUrl = clusters.get(shards).shards().oracle().url();
        int oraclePort = Integer.parseInt(oracleUrl.substring(oracleUrl.lastIndexOf(':') + 1));
        List<RayforcePy.Result> oneServer = RayforcePy.run(oraclePort, expressions);
        SoftAssertions soft = new SoftAssertions();
        int answered = 0;
        for (int i = 0; i < expressions.length; i++) {
            RayforcePy.Result g = viaGateway.get(i);
            RayforcePy.Result o = oneServer.get(i);
            if (o.error() != null) {
                soft.assertThat(g.error()).as("rayforce-py error for %s", expressions[i]).isNotNull();
                if (g.error() != null) {
                    soft.assertThat(errorType(g.error())).as("error type for %s", expressions[i]).isEqualTo(errorType(o.error()));
                }
                continue;
            }
            soft.assertThat(g.error()).as("rayforce-py error for %s (one server answered)", expressions[i]).isNull();
            if (g.error() == null) {
                answered++;
                String what = expressions[i];
                soft.check(() -> SameAnswer.assertSame(what, o.value(), g.value()));
            }
        }
        soft.assertThat(answered).as("answers compared").isGreaterThan(expressions.length - 5);
        soft.assertAll();
    }

    private static String errorType(String error) {
        int colon = error.indexOf(':');
        return colon < 0 ? error : error.substring(0, colon);
    }

    private static String pythonString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
