package io.rayforce.cluster.router.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.testing.RayforcePy;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.testing.SameAnswer;
import io.rayforce.cluster.router.testing.TradeData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            for (int batch = 0; batch < GatewayCorpus.BATCHES; batch++) {
                s.insert("trades", GatewayCorpus.trades(batch));
                s.insert("wide", GatewayCorpus.wide(batch));
            }
            s.insert("quotes", GatewayCorpus.quotes(7, 300));
            s.insert("dim", GatewayCorpus.dim());
            clients.put(shards, f.connect());
        }
    }

    @AfterAll
    void stop() {
        clusters.values().forEach(GatewayFixture::close);
    }

    static Stream<Arguments> queries() {
        List<Arguments> out = new ArrayList<>();
        for (int shards : SHARD_COUNTS) {
            for (String q : GatewayCorpus.queries()) {
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
        for (String q : GatewayCorpus.queries()) {
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
