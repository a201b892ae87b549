package io.rayforce.cluster.router.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cancel, disconnect and timeout reach the shards: a slow group-by over one large shard is
 * stopped on the node's engine (a probe sent straight to that engine is answered at once, which
 * it could not be while the group-by ran, since the engine evaluates one request at a time).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayCancelTest {
    private static final int ROWS = 12_000_000;
    /** Keeps the shard's engine busy for seconds: grouping 12 M rows by two distinct keys. */
    private static final String SLOW = "(select {n: (count px) by: [id px] from: big})";

    private GatewayFixture cluster;
    private long uncancelledMillis;

    @BeforeAll
    void start() {
        cluster = new GatewayFixture(1, GatewayOptions.DEFAULT);
        cluster.shards().createTable("big", "id", 1, 1, "id:i64", "px:f64");
        cluster.shards().node(0).execute("(count (set big__0 (table [id px __seq] (list (til " + ROWS + ") (as 'F64 (til "
                + ROWS + ")) (til " + ROWS + ")))))");
        // the same grouping sent straight to the shard's engine: how long it keeps the engine busy
        long t0 = System.nanoTime();
        RayValue groups = cluster.shards().node(0).execute("(count (select {n: (count px) by: [id px] from: big__0}))");
        uncancelledMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(groups).isEqualTo(new I64Atom(ROWS));
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @Test
    void theSlowQueryIsSlowEnoughToTellCancelledFromFinished() {
        assertThat(uncancelledMillis).as("the shard's engine time for the slow query").isGreaterThan(2_000);
    }

    @Test
    void cancelStopsTheShardWorkAndTheConnectionStaysUsable() throws Exception {
        TCPClient c = cluster.connect();
        CompletableFuture<RayValue> slow = c.submit("(count " + SLOW + ")");
        Thread.sleep(300);
        long t0 = System.nanoTime();
        c.cancel();
        assertThatThrownBy(() -> slow.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("cancel"));
        assertThat(millisSince(t0)).as("cancel answered").isLessThan(uncancelledMillis / 2);
        assertThat(probeNodeMillis()).as("the node's engine is free again").isLessThan(uncancelledMillis / 2);
        assertThat(((Str) c.execute("(.cluster.lastError)")).value()).contains("cancel");
        assertThat(c.execute("(+ 1 2)")).isEqualTo(new I64Atom(3));
    }

    /**
     * A call of a global function that writes names no write, yet writes: from its start it runs
     * to completion, as a write does (a cancel stopping it between its forms would leave half of
     * it done), so the answer is its last form's and both its forms ran.
     */
    @Test
    void aCancelDoesNotStopAFunctionThatWrites() throws Exception {
        TCPClient c = cluster.connect();
        c.execute("(set slowmark (fn [k] (set before k) (count " + SLOW + ") (set after k) (+ before after)))");
        CompletableFuture<RayValue> call = c.submit("(slowmark 7)");
        Thread.sleep(300);
        c.cancel();
        assertThat(call.get(60, TimeUnit.SECONDS)).as("the last form's answer, not cancel").isEqualTo(new I64Atom(14));
        assertThat(c.execute("after")).isEqualTo(new I64Atom(7));
    }

    @Test
    void cancelOnAnIdleConnectionDoesNothing() throws Exception {
        TCPClient c = cluster.connect();
        c.cancel();
        Thread.sleep(100);
        assertThat(c.execute("(+ 1 2)")).isEqualTo(new I64Atom(3));
    }

    @Test
    void disconnectCancelsTheShardWork() throws Exception {
        TCPClient c = cluster.connect();
        CompletableFuture<RayValue> slow = c.submit("(count " + SLOW + ")");
        Thread.sleep(300);
        c.close();
        assertThatThrownBy(slow::join).isInstanceOf(CompletionException.class);
        Thread.sleep(200);
        assertThat(probeNodeMillis()).as("the node's engine is free again").isLessThan(uncancelledMillis / 2);
    }

    @Test
    void queriesPastTheirTimeoutFailWithTimeout() {
        try (GatewayOnSameShards shortTimeout = new GatewayOnSameShards(GatewayOptions.DEFAULT.withQueryTimeout(Duration.ofMillis(300)));
             TCPClient c = new TCPClient("127.0.0.1", shortTimeout.gateway.port())) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> c.execute("(count " + SLOW + ")"))
                    .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("timeout"));
            assertThat(millisSince(t0)).isLessThan(uncancelledMillis / 2);
            assertThat(((Str) c.execute("(.cluster.lastError)")).value()).contains("timed out");
            assertThat(c.execute("(+ 1 2)")).isEqualTo(new I64Atom(3));
        }
    }

    @Test
    void routerSideWorkPastTheTimeoutFailsWithTimeoutToo() {
        try (GatewayOnSameShards shortTimeout = new GatewayOnSameShards(GatewayOptions.DEFAULT.withQueryTimeout(Duration.ofMillis(50)));
             TCPClient c = new TCPClient("127.0.0.1", shortTimeout.gateway.port())) {
            // no cluster table: evaluated on the router's own engine
            assertThatThrownBy(() -> c.execute("(count (distinct (til 30000000)))"))
                    .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("timeout"));
            assertThat(((Str) c.execute("(.cluster.lastError)")).value()).contains("timed out");
        }
    }

    /** How long the node's engine takes to answer a trivial request sent straight to it. */
    private long probeNodeMillis() {
        long t0 = System.nanoTime();
        assertThat(cluster.shards().node(0).execute("(+ 1 2)")).isEqualTo(new I64Atom(3));
        return millisSince(t0);
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** A second gateway, with other options, over the same shards. */
    private final class GatewayOnSameShards implements AutoCloseable {
        final io.rayforce.cluster.router.ClusterClient client = new io.rayforce.cluster.router.ClusterClient(cluster.shards());
        final Gateway gateway;

        GatewayOnSameShards(GatewayOptions options) {
            gateway = new Gateway(client, options).start("127.0.0.1", 0);
        }

        @Override
        public void close() {
            gateway.close();
            client.close();
        }
    }
}
