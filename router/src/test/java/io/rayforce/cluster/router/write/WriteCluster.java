package io.rayforce.cluster.router.write;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.server.CoordinatorConfig;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.node.NodeAgent;
import io.rayforce.cluster.node.NodeConfig;
import io.rayforce.cluster.node.engine.SupervisorSettings;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A whole cluster in this JVM, built from the real parts: an embedded ZooKeeper, node agents
 * each running a native engine with its journal, the coordinator's control service, and a
 * {@link ClusterClient} connected through ZooKeeper; plus an oracle engine, one native server
 * that the differential tests give the same statements.
 */
final class WriteCluster implements AutoCloseable {
    static final SupervisorSettings FAST = SupervisorSettings.DEFAULTS
            .withHealth(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5))
            .withBackoff(Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(60));

    final String cluster;
    final EmbeddedZooKeeper zk;
    final List<NodeAgent> agents = new ArrayList<>();
    final Coordinator coordinator;
    private final ClusterConnection observer;
    final ClusterView view;
    final ClusterClient client;
    final NativeServer oracleServer;
    final TCPClient oracle;
    private final Path dir;

    WriteCluster(int nodes) {
        this(nodes, EmbeddedZooKeeper.DEFAULT_TICK_MS);
    }

    /** With ZooKeeper ticking every {@code zkTickMs} (sessions may last 2 to 20 ticks). */
    WriteCluster(int nodes, int zkTickMs) {
        this(nodes, zkTickMs, FAST);
    }

    /** With the node agents supervising their engines as {@code supervisor} says. */
    WriteCluster(int nodes, int zkTickMs, SupervisorSettings supervisor) {
        try {
            dir = Files.createTempDirectory("write-cluster");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cluster = "w" + Long.toHexString(System.nanoTime());
        zk = EmbeddedZooKeeper.start(0, null, zkTickMs);
        try {
            coordinator = Coordinator.start(CoordinatorConfig.defaults(zk.connectString()).withCluster(cluster)
                    .withRepairGrace(Duration.ofSeconds(2)).withSessionTimeout(Duration.ofSeconds(6))
                    .withRouterWait(Duration.ofSeconds(20)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        observer = ClusterConnection.connect(zk.connectString(), cluster, Duration.ofSeconds(10));
        view = ClusterView.start(observer.curator());
        for (int i = 0; i < nodes; i++) {
            agents.add(NodeAgent.start(NodeConfig.builder(zk.connectString(), cluster, dir.resolve("n" + i)).nodeId("n" + i)
                    .supervisor(supervisor).sessionTimeout(Duration.ofSeconds(4)).capacityBytes(4L << 30).cores(1).build()));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> view.snapshot().nodes().size() == nodes && coordinator.isLeader());
        client = ClusterClient.connect(zk.connectString(), cluster);
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> ((ZooKeeperPlacement) client.placement()).view().snapshot().nodes().size() == nodes);
        oracleServer = NativeServer.startOnFreePort();
        oracle = new TCPClient(oracleServer.host(), oracleServer.port(), ClientOptions.DEFAULT.withMaxFrameBytes(Integer.MAX_VALUE - 8));
    }

    @Override
    public void close() {
        client.close();
        oracle.close();
        oracleServer.close();
        for (NodeAgent a : agents) {
            a.close();
        }
        coordinator.close();
        view.close();
        observer.close();
        zk.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp files only
        }
    }
}
