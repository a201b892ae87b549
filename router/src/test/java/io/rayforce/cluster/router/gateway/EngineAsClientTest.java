package io.rayforce.cluster.router.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.router.testing.SameAnswer;
import io.rayforce.cluster.router.testing.TradeData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Another Rayforce server reaches the cluster as it would reach one server: {@code .ipc.open}
 * (with a password), {@code .ipc.send} with source text and with a value, {@code .ipc.post}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EngineAsClientTest {
    private GatewayFixture cluster;
    private NativeServer engine;
    private TCPClient console;

    @BeforeAll
    void start() {
        cluster = new GatewayFixture(2, GatewayOptions.DEFAULT.withPassword("pw1"));
        cluster.shards().createTable("trades", "sym", 3, 1, TradeData.COLUMNS);
        cluster.shards().insert("trades", TradeData.rows(5, 0, 300));
        engine = NativeServer.startOnFreePort();
        console = new TCPClient(engine.host(), engine.port());
        console.execute("(set h (.ipc.open \"127.0.0.1:" + cluster.port() + ":alice:pw1\"))");
    }

    @AfterAll
    void stop() {
        console.close();
        engine.close();
        cluster.close();
    }

    @Test
    void sendsSourceTextAndGetsTheClusterAnswer() {
        String q = "(select {s: (sum qty) by: sym from: trades where: (> px 20.0)})";
        SameAnswer.assertSame(q, cluster.shards().oracle().execute(q), console.execute("(.ipc.send h \"" + q.replace("\"", "\\\"") + "\")"));
        assertThat(console.execute("(.ipc.send h \"(count trades)\")")).isEqualTo(new I64Atom(300));
    }

    @Test
    void sendsValuesAsExpressions() {
        assertThat(console.execute("(.ipc.send h (list '+ 1 2))")).isEqualTo(new I64Atom(3));
    }

    @Test
    void errorsReachTheCallingEngine() {
        assertThatThrownBy(() -> console.execute("(.ipc.send h \"(+ 1 'a)\")"))
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("type"));
        assertThat(console.execute("(.ipc.send h \"(+ 2 2)\")")).isEqualTo(new I64Atom(4));
    }

    @Test
    void postRunsWithoutAnAnswer() {
        console.execute("(.ipc.post h \"(+ 1 'posted)\")");
        assertThat(((Str) console.execute("(.ipc.send h \"(.cluster.lastError)\")")).value()).contains("type");
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThatThrownBy(() -> console.execute("(.ipc.open \"127.0.0.1:" + cluster.port() + ":alice:wrong\")"))
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isIn("access", "io"));
    }
}
