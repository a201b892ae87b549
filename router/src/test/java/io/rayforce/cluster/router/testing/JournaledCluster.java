package io.rayforce.cluster.router.testing;

import static org.awaitility.Awaitility.await;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.server.CoordinatorConfig;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.node.NodeAgent;
import io.rayforce.cluster.node.NodeConfig;
import io.rayforce.cluster.node.engine.EngineStatus;
import io.rayforce.cluster.node.engine.SupervisorSettings;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import io.rayforce.cluster.router.gateway.Gateway;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A whole cluster from its real parts, every engine run by a node agent with its journal: an
 * embedded ZooKeeper, {@code n} nodes, the coordinator, a router and a gateway in front of it.
 * It holds {@code trades} (4 shards, every shard on every node) and the replicated
 * {@code venues}, and can say what the engines are (pids, restarts) and what their journals
 * received, for tests of what a client can and cannot make an engine do.
 */
public final class JournaledCluster implements AutoCloseable {
    private static final SupervisorSettings FAST = SupervisorSettings.DEFAULTS
            .withHealth(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5))
            .withBackoff(Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(60));
    /** The query whose answer must not change while hostile queries are refused. */
    public static final String CANARY = "(select {n: (count px) s: (sum qty) by: sym from: trades})";

    private final Path dir;
    private final String cluster;
    private final EmbeddedZooKeeper zk;
    private final Coordinator coordinator;
    private final List<NodeAgent> nodes = new ArrayList<>();
    private final ClusterClient router;
    private final Gateway gateway;

    public JournaledCluster(int n, GatewayOptions options) {
        try {
            dir = Files.createTempDirectory("journaled-cluster");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cluster = "j" + Long.toHexString(System.nanoTime());
        zk = EmbeddedZooKeeper.start();
        for (int i = 1; i <= n; i++) {
            nodes.add(NodeAgent.start(NodeConfig.builder(zk.connectString(), cluster, dir.resolve("n" + i)).nodeId("n" + i)
                    .supervisor(FAST).sessionTimeout(Duration.ofSeconds(4)).capacityBytes(1L << 30).cores(1)
                    .controlBind("127.0.0.1").build()));
        }
        try {
            coordinator = Coordinator.start(CoordinatorConfig.defaults(zk.connectString()).withCluster(cluster)
                    .withSessionTimeout(Duration.ofSeconds(6)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> coordinator.isLeader() && coordinator.view().snapshot().nodes().size() == n);
        router = ClusterClient.connect(zk.connectString(), cluster);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ((ZooKeeperPlacement) router.placement()).view().snapshot().nodes().size() == n);
        gateway = new Gateway(router, options).start("127.0.0.1", 0);
        router.execute("(.cluster.create 'trades (table [id sym px qty] (list (til 200) (take [A B C D E] 200) "
                + "(* 0.5 (til 200)) (% (til 200) 7))) 'sym 4 " + n + ")");
        router.execute("(.cluster.createReplicated 'venues (table [sym venue] (list [A B C] [X Y Z])))");
    }

    public ClusterClient router() {
        return router;
    }

    /** The embedded ZooKeeper's connect string, for another router of this cluster. */
    public String zookeeper() {
        return zk.connectString();
    }

    /** The cluster's name (its ZooKeeper namespace). */
    public String clusterName() {
        return cluster;
    }

    public Coordinator coordinator() {
        return coordinator;
    }

    public int gatewayPort() {
        return gateway.port();
    }

    /** A Java client of the gateway; the caller closes it. */
    public TCPClient connect() {
        return new TCPClient("127.0.0.1", gateway.port());
    }

    public List<NodeAgent> nodes() {
        return nodes;
    }

    /** A directory for files a hostile query might try to create. */
    public Path scratchDir() {
        return dir;
    }

    public RayValue canary() {
        return router.query(CANARY, QueryOptions.DEFAULT).value();
    }

    /** Each engine's pid and restart count, in node order. */
    public List<String> engines() {
        List<String> out = new ArrayList<>();
        for (NodeAgent a : nodes) {
            EngineStatus s = a.engine().status();
            out.add(a.nodeId() + " pid " + s.pid() + " restarts " + s.restarts() + " " + s.state());
        }
        return out;
    }

    /** The current length of each node's journal, in node order. */
    public long[] journalLengths() {
        long[] out = new long[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            out[i] = nodes.get(i).engine().journal().journalBytes();
        }
        return out;
    }

    /**
     * Whether any journal received {@code marker} since {@code lengths} (what
     * {@link #journalLengths()} said before): the text of a request appears in its entry.
     */
    public boolean journalsReceived(long[] lengths, String marker) {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < nodes.size(); i++) {
            Path journal = nodes.get(i).engine().journal().journal();
            try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "r")) {
                long from = f.length() >= lengths[i] ? lengths[i] : 0; // rolled meanwhile: look at all of the new one
                byte[] tail = new byte[(int) (f.length() - from)];
                f.seek(from);
                f.readFully(tail);
                if (indexOf(tail, needle) >= 0) {
                    return true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return false;
    }

    /** Where {@code needle} first occurs in {@code hay}, or -1. */
    public static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        gateway.close();
        router.close();
        coordinator.close();
        nodes.forEach(NodeAgent::close);
        zk.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp files only
        }
    }
}
