package io.rayforce.cluster.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceTCPError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rfc gateway}: options, the password file, and a gateway process serving a running cluster. */
class GatewayCommandTest {
    @TempDir
    Path dir;

    private static String run(int expectedExit, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        PrintStream oldErr = System.err;
        try (PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(p);
            System.setErr(p);
            var cl = Rfc.commandLine();
            cl.setOut(new java.io.PrintWriter(p, true));
            cl.setErr(new java.io.PrintWriter(p, true));
            assertThat(cl.execute(args)).as("exit code of rfc %s", String.join(" ", args)).isEqualTo(expectedExit);
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsTheOptions() {
        assertThat(run(0, "gateway", "--help")).contains("--zookeeper", "--cluster", "--port", "--bind", "--password-file",
                "--timeout", "--workers", "--max-result");
        assertThat(run(0, "local", "--help")).contains("--nodes", "--replication", "--gateway-port", "--data");
        assertThat(run(0, "--help")).contains("gateway", "local", "demo");
    }

    @Test
    void missingZooKeeperIsAUsageError() {
        assertThat(run(2, "gateway")).contains("Missing required option: '--zookeeper");
    }

    @Test
    void thePasswordIsTheFirstLineOfItsFile() throws Exception {
        Path f = dir.resolve("pw");
        Files.writeString(f, "s3cret\nignored\n");
        GatewayOptions o = GatewayCommand.options(f, Duration.ofSeconds(5), 4, 1 << 20, false);
        assertThat(o.password()).isEqualTo("s3cret");
        assertThat(o.queryTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.workers()).isEqualTo(4);
        assertThat(o.maxResultBytes()).isEqualTo(1 << 20);
        Files.writeString(f, "\n");
        assertThatThrownBy(() -> GatewayCommand.readPassword(f)).hasMessageContaining("is empty");
        assertThatThrownBy(() -> GatewayCommand.readPassword(dir.resolve("missing"))).hasMessageContaining("cannot read");
    }

    @Test
    void aGatewayProcessServesARunningClusterWithItsPassword() throws Exception {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "letmein\n");
        try (LocalCluster cluster = LocalCluster.start(new LocalCluster.Settings(1, 1, 0, null, 0, GatewayOptions.DEFAULT))) {
            try (TCPClient admin = new TCPClient("127.0.0.1", cluster.gatewayPort())) {
                admin.execute("(.cluster.create 't (table [k v] (list (til 10) (til 10))) 'k 2 1)");
            }
            int port = NativeServer.freePort();
            int metricsPort = NativeServer.freePort();
            // the local cluster is secured by its own secret: another gateway joins it with that secret
            Process p = RfcProcess.start("gateway", "--zookeeper", cluster.zookeeper(), "--cluster", cluster.clusterName(),
                    "--bind", "127.0.0.1", "--port", Integer.toString(port), "--password-file", pw.toString(), "--timeout", "10s",
                    "--cluster-secret-file", cluster.dataDir().resolve(LocalCluster.SECRET_FILE).toString(),
                    "--metrics-port", Integer.toString(metricsPort), "--slow-query", "0s");
            try {
                List<String> lines = RfcProcess.awaitLine(p, "gateway listening on");
                assertThat(String.join("\n", lines)).doesNotContain("letmein");
                try (TCPClient c = new TCPClient("127.0.0.1", port, "bob", "letmein")) {
                    assertThat(c.execute("(count t)")).isEqualTo(new I64Atom(10));
                }
                assertThatThrownBy(() -> new TCPClient("127.0.0.1", port, "bob", "nope")).isInstanceOf(RayforceTCPError.class);
                String http = "http://127.0.0.1:" + metricsPort;
                assertThat(lines).contains("metrics on " + http + "/metrics", "status page on " + http + "/status");
                PrometheusText scraped = PrometheusText.scrape(http + "/metrics");
                assertThat(scraped.sum("rfc_query_duration_seconds_count", "outcome", "ok")).isEqualTo(1.0);
                assertThat(scraped.sum("rfc_gateway_auth_failures_total")).isEqualTo(1.0);
                assertThat(scraped.sum("rfc_zookeeper_connected", "role", "router")).isEqualTo(1.0);
                String status = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(http + "/status.json")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                assertThat(status).contains("\"name\":\"t\"").contains("\"query\":\"(count t)\"").contains("\"user\":\"bob\"");
                p.destroy();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                RfcProcess.kill(p);
            }
        }
    }
}
