package io.rayforce.cluster.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.MissingShardsError;
import io.rayforce.cluster.router.exec.QueryTimeoutError;
import io.rayforce.cluster.router.testing.LocalShards;
import io.rayforce.cluster.router.testing.SameAnswer;
import io.rayforce.cluster.router.testing.TradeData;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads when replicas die or stall (real engines, SIGKILL and SIGSTOP): failover to another
 * replica, hedges that win against a stalled one, errors that name the missing shards, partial
 * answers that say what they lack, and timeouts.
 */
class FailoverTest {
    private LocalShards cluster;
    private ClusterClient client;

    @BeforeEach
    void load() {
        cluster = new LocalShards(3);
        cluster.createTable("trades", "sym", 6, 2, TradeData.COLUMNS);
        cluster.createTable("single", "sym", 6, 1, TradeData.COLUMNS);
        cluster.insert("trades", TradeData.rows(1, 0, 600));
        cluster.insert("single", TradeData.rows(2, 0, 600));
        client = new ClusterClient(cluster);
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        for (NativeServer n : cluster.nodes()) {
            signal(n, "CONT");
        }
        client.close();
        cluster.close();
    }

    static void signal(NativeServer n, String sig) throws IOException, InterruptedException {
        if (n.isAlive()) {
            new ProcessBuilder("kill", "-" + sig, Long.toString(n.pid())).start().waitFor();
        }
    }

    static final String[] QUERIES = {"trades", "(select {s: (sum qty) n: (count id) by: sym from: trades})",
        "(select {from: trades desc: px take: 20})"};

    @Test
    void aKilledReplicaFailsOverWithTheSameAnswers() {
        cluster.nodes().get(1).kill();
        for (String q : QUERIES) {
            QueryResult r = client.query(q, QueryOptions.DEFAULT);
            SameAnswer.assertSame(q, cluster.oracle().execute(q), r.value());
            assertThat(r.complete()).isTrue();
        }
        // some unit tried the dead node first, failed, and moved on
        QueryResult r = client.query("trades", QueryOptions.DEFAULT);
        assertThat(r.trace().attempts()).anyMatch(a -> a.node().startsWith("n1") && !a.outcome().startsWith("ok"))
                .anyMatch(a -> a.outcome().equals("ok"));
    }

    @Test
    void aHedgeAnswersForAStalledReplica() throws Exception {
        signal(cluster.nodes().get(0), "STOP");
        QueryOptions hedged = QueryOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)).hedgingAfter(Duration.ofMillis(100));
        long t0 = System.nanoTime();
        QueryResult r = client.query("(select {s: (sum qty) by: sym from: trades})", hedged);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        SameAnswer.assertSame("hedged", cluster.oracle().execute("(select {s: (sum qty) by: sym from: trades})"), r.value());
        assertThat(r.trace().attempts()).anyMatch(a -> a.outcome().equals("ok (hedge)"));
        assertThat(ms).as("a stalled replica must not hold the query until its timeout").isLessThan(10_000);
    }

    @Test
    void aShardWithNoLiveReplicaFailsTheQueryNamingIt() {
        cluster.nodes().get(2).kill();
        assertThatThrownBy(() -> client.execute("(select {s: (sum qty) from: single})"))
                .isInstanceOf(MissingShardsError.class).hasMessageContaining("of single")
                .hasMessageMatching("(?s).*shard \\d of single.*");
    }

    @Test
    void partialResultsSayWhatIsMissing() {
        cluster.nodes().get(2).kill();
        QueryResult r = client.query("(select {n: (count id) from: single})", QueryOptions.DEFAULT.allowingPartialResults());
        assertThat(r.complete()).isFalse();
        assertThat(r.missing()).isNotEmpty().allSatisfy(m -> assertThat(m.unit().table()).isEqualTo("single"));
        long all = ((io.rayforce.cluster.client.value.I64Vector) ((RayTable) cluster.oracle()
                .execute("(select {n: (count id) from: single})")).column("n")).get(0);
        long got = ((io.rayforce.cluster.client.value.I64Vector) ((RayTable) r.value()).column("n")).get(0);
        assertThat(got).isLessThan(all).isPositive();
    }

    @Test
    void aStalledShardTimesOut() throws Exception {
        for (NativeServer n : cluster.nodes()) {
            signal(n, "STOP");
        }
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> client.query("(select {n: (count id) from: trades})",
                QueryOptions.DEFAULT.withTimeout(Duration.ofMillis(800))))
                .isInstanceOf(QueryTimeoutError.class).hasMessageContaining("timed out after 800 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
        for (NativeServer n : cluster.nodes()) {
            signal(n, "CONT");
        }
        RayValue v = client.execute("(count trades)");
        assertThat(v).isEqualTo(cluster.oracle().execute("(count trades)"));
    }
}
