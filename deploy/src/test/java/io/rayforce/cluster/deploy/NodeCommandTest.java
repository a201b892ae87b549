package io.rayforce.cluster.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.ControlServiceGrpc;
import io.rayforce.cluster.coordinator.proto.CreateTableRequest;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.server.CoordinatorConfig;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.coordinator.store.PlacementStore;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rfc node}: help, usage errors, and a real node process stopped by SIGTERM leaving nothing behind. */
class NodeCommandTest {
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
    void helpDescribesTheNodeAndDrainCommands() {
        assertThat(run(0, "node", "--help")).contains("--zookeeper", "--cluster", "--id", "--host", "--ipc-port",
                "--control-port", "--data", "--capacity", "--cores", "drain");
        assertThat(run(0, "node", "drain", "--help")).contains("--coordinator", "ID", "--wait");
        assertThat(run(0, "--help")).contains("node");
    }

    @Test
    void missingOptionsAreUsageErrors() {
        assertThat(run(2, "node", "--data", dir.toString())).contains("Missing required option: --zookeeper");
        assertThat(run(2, "node", "drain", "n1")).contains("--coordinator");
        assertThat(run(2, "node", "--zookeeper", "x:1", "--data", dir.toString(), "--capacity", "lots"))
                .contains("invalid size 'lots'");
    }

    @Test
    void drainReportsAnUnreachableCoordinatorClearly() {
        assertThat(run(1, "node", "drain", "n1", "--coordinator", "127.0.0.1:1", "--timeout", "3s"))
                .contains("drain of node n1 failed: UNAVAILABLE");
    }

    @Test
    void aNodeProcessJoinsTheClusterAndSigtermStopsItsEngineAndLeaves() throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
             ClusterConnection conn = ClusterConnection.connect(zk.connectString(), "cli", Duration.ofSeconds(10))) {
            PlacementStore.ensureLayout(conn.curator());
            try (ClusterView view = ClusterView.start(conn.curator())) {
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                int metricsPort = NativeServer.freePort();
                Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                        "-Drayforce.root=" + System.getProperty("rayforce.root", ""),
                        Rfc.class.getName(), "node", "--zookeeper", zk.connectString(), "--cluster", "cli", "--id", "n1",
                        "--host", "127.0.0.1", "--data", dir.resolve("n1").toString(), "--capacity", "1G",
                        "--session-timeout", "4s", "--metrics-port", Integer.toString(metricsPort)))
                        .redirectErrorStream(true).start();
                try {
                    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    StringBuilder seen = new StringBuilder();
                    String line;
                    while ((line = r.readLine()) != null && !line.startsWith("node n1 running")) {
                        seen.append(line).append('\n');
                    }
                    assertThat(line).as("startup output: %s", seen).isNotNull();
                    Thread drainer = new Thread(() -> r.lines().forEach(l -> { }));
                    drainer.setDaemon(true);
                    drainer.start();
                    waitUntil(() -> view.snapshot().node("n1").isPresent(), 15);
                    NodeInfo info = view.snapshot().node("n1").orElseThrow();
                    assertThat(info.getCapacityBytes()).isEqualTo(1L << 30);
                    try (TCPClient c = new TCPClient("127.0.0.1", info.getIpcPort())) {
                        assertThat(c.execute("(+ 1 2)")).isEqualTo(new I64Atom(3));
                    }
                    assertThat(seen.toString()).contains("metrics on http://127.0.0.1:" + metricsPort + "/metrics");
                    PrometheusText scraped = PrometheusText.scrape("http://127.0.0.1:" + metricsPort + "/metrics");
                    assertThat(scraped.sum("rfc_engine_up", "node", "n1")).isEqualTo(1.0);
                    assertThat(scraped.sum("rfc_zookeeper_connected", "role", "node", "member", "n1")).isEqualTo(1.0);
                    assertThat(scraped.sum("rfc_journal_bytes", "node", "n1")).isPositive();
                    List<ProcessHandle> engines = p.descendants().toList();
                    assertThat(engines).isNotEmpty();

                    p.destroy();
                    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    for (ProcessHandle e : engines) {
                        assertThat(e.isAlive()).as("engine %d left behind", e.pid()).isFalse();
                    }
                    waitUntil(() -> view.snapshot().node("n1").isEmpty(), 15);
                } finally {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            }
        }
    }

    /** {@code rfc node} in a child JVM; returns once it printed that it runs. */
    private Process rfcNode(String zk, String cluster, String id) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "-Drayforce.root=" + System.getProperty("rayforce.root", ""),
                Rfc.class.getName(), "node", "--zookeeper", zk, "--cluster", cluster, "--id", id,
                "--host", "127.0.0.1", "--control-bind", "127.0.0.1", "--data", dir.resolve(id).toString(), "--capacity", "1G",
                "--session-timeout", "4s"))
                .redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = r.readLine()) != null && !line.startsWith("node " + id + " running")) {
            seen.append(line).append('\n');
        }
        assertThat(line).as("startup output of %s: %s", id, seen).isNotNull();
        Thread drainer = new Thread(() -> r.lines().forEach(l -> { }));
        drainer.setDaemon(true);
        drainer.start();
        return p;
    }

    @Test
    void rfcNodeDrainMovesEveryReplicaAwayAndTheNodeExitsByItself() throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
             Coordinator coordinator = Coordinator.start(CoordinatorConfig.defaults(zk.connectString()).withCluster("drainage")
                     .withHost("127.0.0.1").withRepairGrace(Duration.ofSeconds(2)).withSessionTimeout(Duration.ofSeconds(4)))) {
            List<Process> nodes = new java.util.ArrayList<>();
            try {
                nodes.add(rfcNode(zk.connectString(), "drainage", "n1"));
                nodes.add(rfcNode(zk.connectString(), "drainage", "n2"));
                waitUntil(() -> coordinator.view().snapshot().nodes().size() == 2, 15);
                TableSpec spec = TableSpec.newBuilder().setName("t").setShardKey("x").setShardCount(4).setReplicationFactor(1)
                        .addColumns(ColumnSpec.newBuilder().setName("x").setType("i64")).build();
                io.grpc.ManagedChannel ch = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
                        .forAddress("127.0.0.1", coordinator.port()).usePlaintext().build();
                try {
                    ControlServiceGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
                            .createTable(CreateTableRequest.newBuilder().setSpec(spec).build());
                } finally {
                    ch.shutdownNow();
                }
                List<ProcessHandle> n1Engines = nodes.get(0).descendants().toList();

                String out = run(0, "node", "drain", "n1", "--coordinator", coordinator.address(), "--wait", "--timeout", "60s");
                assertThat(out).contains("node n1 is draining").contains("replica(s) to move").contains("-> n2");
                assertThat(nodes.get(0).waitFor(30, TimeUnit.SECONDS)).as("n1 exits once drained").isTrue();
                assertThat(nodes.get(0).exitValue()).isZero();
                n1Engines.forEach(e -> assertThat(e.isAlive()).isFalse());
                waitUntil(() -> coordinator.view().snapshot().table("t").orElseThrow().getShardsList().stream()
                        .allMatch(s -> s.getReplicasCount() == 1 && s.getReplicas(0).getNodeId().equals("n2")), 15);
                assertThat(nodes.get(1).isAlive()).isTrue();
            } finally {
                for (Process p : nodes) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            }
        }
    }

    private static void waitUntil(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }
}
