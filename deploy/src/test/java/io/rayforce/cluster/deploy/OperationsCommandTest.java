package io.rayforce.cluster.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code rfc local} as an operator runs it (docs/operations.md): it says where its metrics and
 * status page are, its {@code /metrics} counts the queries, writes, shard requests and errors it
 * served, and after an engine is killed the restart and the failovers; its log is JSON with the
 * query id on a query's lines.
 */
class OperationsCommandTest {
    private static final String GROUP_BY = "(select {n: (count v) s: (sum v) by: sym from: t})";

    /**
     * The group-by with a filter every row passes, another text for each {@code i} (0: {@link #GROUP_BY}): the same
     * text read again under the same read lease would be answered from the read cache and ask no shard.
     */
    private static String groupBy(int i) {
        return i == 0 ? GROUP_BY : "(select {n: (count v) s: (sum v) by: sym from: t where: (> v -" + i + ")})";
    }
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void metricsMoveWithQueriesAndFaultsAndTheLogIsJsonWithQueryIds() throws Exception {
        int gatewayPort = NativeServer.freePort();
        int metricsPort = NativeServer.freePort();
        Process p = RfcProcess.startWithItsLogging("local", "--nodes", "2", "--replication", "2", "--gateway-port",
                Integer.toString(gatewayPort),
                "--metrics-port", Integer.toString(metricsPort), "--slow-query", "0s", "--log-format", "json");
        try {
            List<String> startup = RfcProcess.awaitLine(p, "gateway listening on");
            String url = "http://127.0.0.1:" + metricsPort + "/metrics";
            assertThat(startup).contains("metrics on " + url, "status page on http://127.0.0.1:" + metricsPort + "/status");

            PrometheusText started = PrometheusText.scrape(url);
            assertThat(started.sum("rfc_engine_up")).isEqualTo(2.0);
            assertThat(started.samples("rfc_zookeeper_connected")).extracting(s -> s.labels().get("role"))
                    .containsExactlyInAnyOrder("coordinator", "node", "node", "router");
            assertThat(started.sum("rfc_zookeeper_connected")).isEqualTo(4.0);
            assertThat(started.sum("rfc_coordinator_leader")).isEqualTo(1.0);

            RayValue expected;
            try (TCPClient c = new TCPClient("127.0.0.1", gatewayPort)) {
                c.execute("(.cluster.create 't (table [sym v] (list [A B C A D] [1 2 3 4 5])) 'sym 4 2)");
                c.execute("(insert 't (list 'E 6))");
                expected = c.execute(GROUP_BY);
                assertThat(((RayTable) expected).rowCount()).isEqualTo(5);
                for (int i = 1; i <= 2; i++) {
                    assertThat(c.execute(groupBy(i))).isEqualTo(expected);
                }
                assertThatThrownBy(() -> c.execute("(select {from: t where: (> nosuchcolumn 1)})"))
                        .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("schema"));
                // an admin function that reads (its row counts) is one query of its own kind, with the last read it made
                c.execute("(.cluster.tables)");
                RayTable slow = (RayTable) c.execute("(.cluster.slowlog)");
                int row = rowOf(slow, "(.cluster.tables)");
                assertThat(row).isNotNegative();
                assertThat(((Str) slow.column("plan").at(row)).value()).startsWith(".cluster.tables, its last read:\n  ");
            }
            PrometheusText served = PrometheusText.scrape(url);
            assertThat(served.sum("rfc_query_duration_seconds_count", "outcome", "ok", "plan", "GroupOrder")).isEqualTo(3.0);
            assertThat(served.sum("rfc_query_duration_seconds_bucket", "outcome", "ok", "plan", "GroupOrder", "le", "+Inf"))
                    .isEqualTo(3.0);
            assertThat(served.sum("rfc_query_duration_seconds_count", "outcome", "schema")).isEqualTo(1.0);
            assertThat(served.sum("rfc_query_duration_seconds_count", "plan", ".cluster.tables")).isEqualTo(1.0);
            assertThat(served.sum("rfc_gateway_errors_total", "code", "schema")).isEqualTo(1.0);
            assertThat(served.sum("rfc_write_duration_seconds_count", "statement", "Insert", "outcome", "ok")).isEqualTo(1.0);
            assertThat(served.sum("rfc_write_acks_total", "outcome", "acknowledged")).isGreaterThanOrEqualTo(2.0);
            double applied = served.sum("rfc_write_replicas_total", "outcome", "applied");
            assertThat(applied).as("both replicas of each shard written").isPositive().matches(n -> n % 2 == 0);
            assertThat(served.sum("rfc_write_replicas_total", "outcome", "failed")).isZero();
            assertThat(served.sum("rfc_shard_requests_total", "outcome", "ok")).isGreaterThanOrEqualTo(3.0 * 4);
            assertThat(served.sum("rfc_shard_rows_total")).isPositive();
            assertThat(served.sum("rfc_shard_bytes_total")).isPositive();
            assertThat(served.sum("rfc_query_result_rows_total")).isGreaterThanOrEqualTo(3.0 * 5);
            assertThat(served.sum("rfc_read_lock_wait_seconds_count")).isGreaterThanOrEqualTo(3.0);
            assertThat(served.sum("rfc_replicas", "state", "LIVE")).isEqualTo(8.0);
            assertThat(served.sum("rfc_placement_epoch")).isGreaterThan(started.sum("rfc_placement_epoch"));
            assertThat(served.sum("rfc_queries_slow_total")).isGreaterThanOrEqualTo(5.0);
            assertThat(served.samples("rfc_queries_running")).isNotEmpty();
            assertThat(served.sum("rfc_journal_bytes")).isPositive();

            // a fault: one node's engine is killed; its replicas' reads fail over, and the agent restarts it
            String nodeId;
            try (TCPClient c = new TCPClient("127.0.0.1", gatewayPort)) {
                RayTable nodes = (RayTable) ((RayList) ((RayDict) c.execute("(.cluster.status)")).values()).get(4);
                nodeId = ((SymbolVector) nodes.column("id")).get(0);
                long ipcPort = ((I64Vector) nodes.column("ipcPort")).get(0);
                ProcessHandle engine = engineOnPort(p, ipcPort);
                engine.destroyForcibly();
                engine.onExit().get(10, TimeUnit.SECONDS);
                for (int i = 10; i < 16; i++) {
                    assertThat(c.execute(groupBy(i))).as("answered from the other replica").isEqualTo(expected);
                }
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                PrometheusText now = PrometheusText.scrape(url);
                assertThat(now.sum("rfc_engine_restarts_total", "node", nodeId)).isEqualTo(1.0);
                assertThat(now.sum("rfc_engine_up")).isEqualTo(2.0);
            });
            PrometheusText afterFault = PrometheusText.scrape(url);
            assertThat(afterFault.sum("rfc_shard_failovers_total")).isGreaterThan(served.sum("rfc_shard_failovers_total"));
            assertThat(afterFault.sum("rfc_shard_requests_total", "outcome", "failed"))
                    .isGreaterThan(served.sum("rfc_shard_requests_total", "outcome", "failed"));
            assertThat(afterFault.sum("rfc_shard_retries_total")).isGreaterThan(served.sum("rfc_shard_retries_total"));
            assertThat(afterFault.sum("rfc_query_duration_seconds_count", "outcome", "ok", "plan", "GroupOrder")).isEqualTo(9.0);

            // the log: one JSON object per line; the slow-query line of a query carries its id
            long groupById;
            try (TCPClient c = new TCPClient("127.0.0.1", gatewayPort)) {
                RayTable slow = (RayTable) c.execute("(.cluster.slowlog)");
                groupById = ids(slow, GROUP_BY).get(0);
            }
            List<JsonNode> json = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                json.clear();
                for (String line : RfcProcess.lines(p)) {
                    if (line.startsWith("{")) {
                        json.add(JSON.readTree(line));
                    }
                }
                assertThat(json).anyMatch(j -> j.path("query").asText().equals(Long.toString(groupById)));
            });
            assertThat(json).hasSizeGreaterThan(5).allSatisfy(j -> assertThat(j.has("@timestamp") && j.has("level")
                    && j.has("logger_name") && j.has("message")).isTrue());
            JsonNode slowLine = json.stream().filter(j -> j.path("query").asText().equals(Long.toString(groupById))).findFirst()
                    .orElseThrow();
            assertThat(slowLine.path("message").asText()).startsWith("slow query " + groupById + " from anonymous took")
                    .endsWith(GROUP_BY);
            assertThat(json).filteredOn(j -> j.path("message").asText().startsWith("slow query "))
                    .allSatisfy(j -> assertThat(j.path("message").asText()).startsWith("slow query " + j.path("query").asText() + " "));
        } finally {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                RfcProcess.kill(p);
            }
        }
    }

    /** The native engine {@code rfc} started listening on {@code port} ({@code -p PORT} or {@code --port HOST:PORT}). */
    private static ProcessHandle engineOnPort(Process rfc, long port) {
        return rfc.descendants().filter(h -> h.info().command().orElse("").endsWith("rayforce")).filter(h -> {
            List<String> args = Arrays.asList(h.info().arguments().orElse(new String[0]));
            for (int i = 0; i + 1 < args.size(); i++) {
                if ((args.get(i).equals("-p") || args.get(i).equals("--port")) && args.get(i + 1).endsWith(Long.toString(port))
                        && args.get(i + 1).matches("(.*:)?" + port)) {
                    return true;
                }
            }
            return false;
        }).findFirst().orElseThrow(() -> new AssertionError("no engine listens on " + port));
    }

    /** The first row of {@code log} whose query is {@code text}. */
    private static int rowOf(RayTable log, String text) {
        Vector q = log.column("query");
        for (int i = 0; i < q.length(); i++) {
            if (((Str) q.at(i)).value().equals(text)) {
                return i;
            }
        }
        return -1;
    }

    /** The ids of the rows of {@code log} whose query is {@code text}. */
    private static List<Long> ids(RayTable log, String text) {
        Vector q = log.column("query");
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < q.length(); i++) {
            if (((Str) q.at(i)).value().equals(text)) {
                out.add(((I64Vector) log.column("id")).get(i));
            }
        }
        return out;
    }
}
