package io.rayforce.cluster.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.engine.NativeServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rfc coordinator} and {@code rfc zookeeper} as real processes, stopped by SIGTERM. */
class CoordinatorCommandTest {
    @TempDir
    Path dir;

    @Test
    void aCoordinatorWithAnEmbeddedZooKeeperServesAdminCommandsAndStopsOnSigterm() throws Exception {
        int metricsPort = NativeServer.freePort();
        Process p = RfcProcess.start("coordinator", "--embedded-zookeeper", "--zookeeper-port", "0", "--zookeeper-data",
                dir.resolve("zk").toString(), "--port", "0", "--host", "127.0.0.1", "--cluster", "cli",
                "--metrics-port", Integer.toString(metricsPort));
        try {
            List<String> lines = RfcProcess.awaitLine(p, "coordinator serving at ");
            assertThat(lines).anyMatch(l -> l.startsWith("embedded ZooKeeper listening on 127.0.0.1:"));
            String address = lines.get(lines.size() - 1).replaceAll("coordinator serving at (\\S+).*", "$1");
            String status = "";
            for (int i = 0; i < 50 && !status.contains("leader " + address); i++) {
                Thread.sleep(100);
                status = AdminCommandsTest.run(0, "status", "--coordinator", address);
            }
            assertThat(status).contains("epoch 0, leader " + address, "nodes (0 live)", "tables (0)");
            String metrics = "http://127.0.0.1:" + metricsPort + "/metrics";
            assertThat(lines).contains("metrics on " + metrics);
            PrometheusText scraped = PrometheusText.scrape(metrics);
            assertThat(scraped.sum("rfc_coordinator_leader", "coordinator", address)).isEqualTo(1.0);
            assertThat(scraped.sum("rfc_zookeeper_connected", "role", "coordinator")).isEqualTo(1.0);
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isIn(0, 143);
            assertThat(dir.resolve("zk")).isNotEmptyDirectory();
        } finally {
            RfcProcess.kill(p);
        }
    }

    @Test
    void aCoordinatorNeedsExactlyOneZooKeeper() {
        assertThat(AdminCommandsTest.run(2, "coordinator")).contains("--zookeeper", "--embedded-zookeeper");
        assertThat(AdminCommandsTest.run(2, "coordinator", "--zookeeper", "a:1", "--embedded-zookeeper")).contains("mutually exclusive");
        assertThat(AdminCommandsTest.run(2, "coordinator", "--embedded-zookeeper", "--repair-grace", "soon"))
                .contains("invalid duration 'soon'");
    }

    @Test
    void anUnreachableZooKeeperIsAClearErrorNotAStackTrace() {
        String out = AdminCommandsTest.run(1, "coordinator", "--zookeeper", "127.0.0.1:1", "--session-timeout", "1s", "--port", "0");
        // (the ZooKeeper client logs its connection attempts; what rfc itself says is one line)
        assertThat(out.strip().lines().reduce((a, b) -> b).orElseThrow())
                .isEqualTo("coordinator failed to start: cannot connect to ZooKeeper at 127.0.0.1:1 within 5000 ms");
        assertThat(out).doesNotContain("ZooKeeperUnavailableException", "at io.rayforce");
    }

    @Test
    void aStandaloneZooKeeperServesUntilSigterm() throws Exception {
        Process p = RfcProcess.start("zookeeper", "--port", "0", "--data", dir.resolve("zk2").toString());
        try {
            List<String> lines = RfcProcess.awaitLine(p, "ZooKeeper listening on ");
            String connect = lines.get(lines.size() - 1).replaceAll("ZooKeeper listening on (\\S+).*", "$1");
            try (var conn = io.rayforce.cluster.coordinator.store.ClusterConnection.connect(connect, "probe")) {
                io.rayforce.cluster.coordinator.store.PlacementStore.ensureLayout(conn.curator());
                assertThat(conn.curator().checkExists().forPath("/epoch")).isNotNull();
            }
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            RfcProcess.kill(p);
        }
    }
}
