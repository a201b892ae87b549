package io.rayforce.cluster.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.testing.RayforcePy;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.router.gateway.GatewayCorpus;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import io.rayforce.cluster.router.testing.SameAnswer;
import io.rayforce.cluster.router.testing.TradeData;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The differential oracle on the real stack: an embedded ZooKeeper, the coordinator, three node
 * agents with their engines and the gateway ({@link LocalCluster}). The corpus's tables are
 * loaded through the gateway with the admin functions, with 1, 3 and 8 shards and replication
 * 2. Every query's answer through the gateway, with the Java TCPClient and with rayforce-py's,
 * equals one native server's answer on the same rows loaded in the same order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealClusterDifferentialTest {
    private LocalCluster cluster;
    private NativeServer single;
    private TCPClient gateway;
    private TCPClient oracle;

    @BeforeAll
    void start() {
        cluster = LocalCluster.start(new LocalCluster.Settings(3, 2, 0, null, 0, GatewayOptions.DEFAULT));
        single = NativeServer.startOnFreePort();
        ClientOptions big = ClientOptions.DEFAULT.withMaxFrameBytes(Integer.MAX_VALUE - 8);
        gateway = new TCPClient("127.0.0.1", cluster.gatewayPort(), big);
        oracle = new TCPClient(single.host(), single.port(), big);
        for (int b = 0; b < GatewayCorpus.BATCHES; b++) {
            load(oracle, "trades", GatewayCorpus.trades(b), b == 0);
            load(oracle, "wide", GatewayCorpus.wide(b), b == 0);
        }
        load(oracle, "empty", TradeData.rows(0, 0, 0), true);
        load(oracle, "quotes", GatewayCorpus.quotes(7, 300), true);
        load(oracle, "dim", GatewayCorpus.dim(), true);
    }

    @AfterAll
    void stop() {
        gateway.close();
        oracle.close();
        single.close();
        cluster.close();
    }

    private static void load(TCPClient server, String table, RayTable rows, boolean first) {
        server.execute(first ? call("count", call("set", Name.of(table), rows)) : call("count", call("insert", Symbol.of(table), rows)));
    }

    /** Creates the corpus's tables in the cluster with {@code shards} shards, loading the batches in the oracle's order. */
    private void createTables(int shards) {
        RayTable existing = (RayTable) gateway.execute("(.cluster.tables)");
        io.rayforce.cluster.client.value.SymbolVector names = (io.rayforce.cluster.client.value.SymbolVector) existing.column("name");
        for (int i = 0; i < names.length(); i++) {
            gateway.execute("(.cluster.drop '" + names.get(i) + ")");
        }
        for (int b = 0; b < GatewayCorpus.BATCHES; b++) {
            createOrLoad("trades", "sym", GatewayCorpus.trades(b), shards, b == 0);
            createOrLoad("wide", "id", GatewayCorpus.wide(b), shards, b == 0);
        }
        createOrLoad("empty", "sym", TradeData.rows(0, 0, 0), shards, true);
        createOrLoad("quotes", "sym", GatewayCorpus.quotes(7, 300), shards, true);
        gateway.execute(call(".cluster.createReplicated", Symbol.of("dim"), GatewayCorpus.dim()));
        assertThat(gateway.execute("(count trades)")).isEqualTo(new I64Atom(400L * GatewayCorpus.BATCHES));
    }

    private void createOrLoad(String table, String key, RayTable rows, int shards, boolean create) {
        gateway.execute(create
                ? call(".cluster.create", Symbol.of(table), rows, Symbol.of(key), new I64Atom(shards), new I64Atom(2))
                : call(".cluster.load", Symbol.of(table), rows));
    }

    @ParameterizedTest(name = "{0} shards")
    @ValueSource(ints = {1, 3, 8})
    void bothClientsGetTheOneServerAnswer(int shards) {
        createTables(shards);
        SoftAssertions soft = new SoftAssertions();
        List<String> corpus = GatewayCorpus.queries();
        for (String q : corpus) {
            RayValue expected;
            try {
                expected = oracle.execute(q);
            } catch (RayforceEvaluationError e) {
                soft.check(() -> assertThatThrownBy(() -> gateway.execute(q)).as(q)
                        .isInstanceOfSatisfying(RayforceEvaluationError.class, g -> assertThat(g.code()).isEqualTo(e.code())));
                continue;
            }
            soft.check(() -> SameAnswer.assertSame(q, expected, gateway.execute(q)));
        }
        List<String> python = new ArrayList<>();
        for (String q : corpus) {
            python.add("'" + q.replace("\\", "\\\\").replace("'", "\\'") + "'");
        }
        String[] expressions = python.toArray(new String[0]);
        List<RayforcePy.Result> viaGateway = RayforcePy.run(cluster.gatewayPort(), expressions);
        List<RayforcePy.Result> oneServer = RayforcePy.run(single.port(), expressions);
        for (int i = 0; i < expressions.length; i++) {
            RayforcePy.Result g = viaGateway.get(i);
            RayforcePy.Result o = oneServer.get(i);
            String what = "rayforce-py " + corpus.get(i);
            if (o.error() != null) {
                soft.assertThat(g.error()).as(what).isNotNull();
            } else {
                soft.assertThat(g.error()).as(what).isNull();
                if (g.error() == null) {
                    soft.check(() -> SameAnswer.assertSame(what, o.value(), g.value()));
                }
            }
        }
        soft.assertAll();
    }

    private static RayList call(String function, RayValue... args) {
        RayValue[] items = new RayValue[args.length + 1];
        items[0] = Name.of(function);
        System.arraycopy(args, 0, items, 1, args.length);
        return RayList.of(items);
    }
}
