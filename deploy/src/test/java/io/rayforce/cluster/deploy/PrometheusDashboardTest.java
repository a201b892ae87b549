package io.rayforce.cluster.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring as shipped: Debian's Prometheus, configured by deploy/docker/prometheus/rfc-prometheus
 * (the compose file's Prometheus image runs it), scrapes a real {@code rfc local}; every query of
 * the Grafana dashboard (deploy/grafana/rayforce-cluster.json) is valid PromQL and has data, except
 * the few whose meters only exist once their event happened (listed).
 */
class PrometheusDashboardTest {
    /** Meters that appear only after their event: a leader's shard task, a failed login, a replica marked STALE. */
    private static final Set<String> ONLY_AFTER_EVENTS = Set.of("rfc_coordinator_tasks_total", "rfc_gateway_auth_failures_total",
            "rfc_write_replicas_stale_total", "rfc_journal_last_completed_seconds");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void prometheusScrapesTheClusterAndEveryDashboardQueryAnswers() throws Exception {
        Path root = Path.of(System.getProperty("rayforce.root", "..")).toAbsolutePath();
        Path script = root.resolve("deploy/docker/prometheus/rfc-prometheus");
        JsonNode dashboard = JSON.readTree(root.resolve("deploy/grafana/rayforce-cluster.json").toFile());
        int gatewayPort = NativeServer.freePort();
        int metricsPort = NativeServer.freePort();
        int prometheusPort = NativeServer.freePort();
        Process rfc = RfcProcess.start("local", "--nodes", "2", "--replication", "2", "--gateway-port", Integer.toString(gatewayPort),
                "--metrics-port", Integer.toString(metricsPort));
        Process prometheus = null;
        try {
            RfcProcess.awaitLine(rfc, "gateway listening on");
            try (TCPClient c = new TCPClient("127.0.0.1", gatewayPort)) {
                c.execute("(.cluster.create 't (table [sym v] (list [A B C A D] [1 2 3 4 5])) 'sym 4 2)");
                c.execute("(insert 't (list 'E 6))");
                c.execute("(select {n: (count v) by: sym from: t})");
                try {
                    c.execute("(select {from: t where: (> nosuchcolumn 1)})");
                } catch (RuntimeException expected) {
                    // counted by its code
                }
            }
            ProcessBuilder pb = new ProcessBuilder(script.toString(), "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + prometheusPort).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile());
            pb.environment().put("RFC_SCRAPE_GATEWAYS", "127.0.0.1:" + metricsPort);
            pb.environment().put("RFC_SCRAPE_INTERVAL", "1s");
            pb.environment().put("RFC_PROMETHEUS_CONFIG", dir.resolve("prometheus.yml").toString());
            pb.environment().put("PROMETHEUS", HostTools.find("PROMETHEUS", "prometheus", "prometheus").toString());
            prometheus = pb.start();
            String api = "http://127.0.0.1:" + prometheusPort + "/api/v1/query?query=";
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() ->
                    assertThat(scalar(query(api, "min(count_over_time(up{job=\"rfc-gateway\"}[1m]))"))).isGreaterThanOrEqualTo(3));
            assertThat(Files.readString(dir.resolve("prometheus.yml"))).contains("job_name: rfc-gateway")
                    .contains("'127.0.0.1:" + metricsPort + "'");
            assertThat(scalar(query(api, "max(up{job=\"rfc-gateway\"})"))).isEqualTo(1.0);
            assertThat(scalar(query(api, "max(rfc_nodes_live)"))).isEqualTo(2.0);
            assertThat(scalar(query(api, "sum(rfc_coordinator_leader)"))).isEqualTo(1.0);
            assertThat(scalar(query(api, "sum(rfc_write_acks_total{outcome=\"acknowledged\"})"))).isGreaterThanOrEqualTo(2.0);

            Map<String, String> failures = new LinkedHashMap<>();
            List<String> checked = new ArrayList<>();
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    String expr = target.path("expr").asText().replace("$__rate_interval", "1m");
                    JsonNode r = query(api, expr);
                    checked.add(expr);
                    if (!r.path("status").asText().equals("success")) {
                        failures.put(panel.path("title").asText() + ": " + expr, r.toString());
                    } else if (r.path("data").path("result").isEmpty() && ONLY_AFTER_EVENTS.stream().noneMatch(expr::contains)) {
                        failures.put(panel.path("title").asText() + ": " + expr, "no data");
                    }
                }
            }
            assertThat(checked).hasSizeGreaterThan(30);
            assertThat(failures).as("dashboard queries that fail or have no data").isEmpty();
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
            rfc.destroy();
            if (!rfc.waitFor(60, TimeUnit.SECONDS)) {
                RfcProcess.kill(rfc);
            }
        }
    }

    private JsonNode query(String api, String promql) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /** The value of a query answering one sample (NaN when it answered none). */
    private static double scalar(JsonNode r) {
        JsonNode result = r.path("data").path("result");
        return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asText());
    }
}
