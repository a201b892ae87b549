package io.rayforce.cluster.router.bench;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.server.CoordinatorConfig;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.node.NodeAgent;
import io.rayforce.cluster.node.NodeConfig;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * The comparison the small-query and concurrency benchmarks make: three node agents (one engine
 * each, default cores) holding table {@code t} of {@code rows} rows (id, 200 symbols, px, qty) in
 * three shards, made with {@code .cluster.create} through ZooKeeper placement and read locks, and
 * one server holding the same rows as one table {@code t}.
 */
final class ShardedAndOne implements AutoCloseable {
    final ClusterClient client;
    final NativeServer one;
    private final EmbeddedZooKeeper zk;
    private final Coordinator coordinator;
    private final List<NodeAgent> nodes = new ArrayList<>();

    ShardedAndOne(int rows) throws Exception {
        String table = "(table [id sym px qty] (list (til " + rows + ") (at (map (fn [i] (as 'symbol (format \"s%\" i))) (til 200)) (% (til "
                + rows + ") 200)) (* 0.5 (til " + rows + ")) (% (til " + rows + ") 1000)))";
        Path dir = Files.createTempDirectory("bench-sharded");
        zk = EmbeddedZooKeeper.start(0, null, EmbeddedZooKeeper.DEFAULT_TICK_MS);
        coordinator = Coordinator.start(CoordinatorConfig.defaults(zk.connectString()).withCluster("bench"));
        one = NativeServer.startOnFreePort();
        for (int i = 0; i < 3; i++) {
            nodes.add(NodeAgent.start(NodeConfig.builder(zk.connectString(), "bench", dir.resolve("n" + i))
                    .nodeId("n" + i).capacityBytes(8L << 30).build()));
        }
        client = ClusterClient.connect(zk.connectString(), "bench");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> coordinator.isLeader()
                && ((ZooKeeperPlacement) client.placement()).view().snapshot().nodes().size() == 3);
        client.execute("(.cluster.create 't " + table + " 'id 3 1)");
        try (TCPClient c = new TCPClient(one.host(), one.port())) {
            c.execute("(count (set t " + table + "))");
        }
    }

    @Override
    public void close() throws Exception {
        client.close();
        for (NodeAgent n : nodes) {
            n.close();
        }
        one.close();
        coordinator.close();
        zk.close();
    }
}
