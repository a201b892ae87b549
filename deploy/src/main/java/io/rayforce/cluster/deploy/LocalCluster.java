package io.rayforce.cluster.deploy;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.security.ClusterSecret;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import io.rayforce.cluster.coordinator.security.SecretFiles;
import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.server.CoordinatorConfig;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.node.NodeAgent;
import io.rayforce.cluster.node.NodeConfig;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.gateway.Gateway;
import io.rayforce.cluster.router.gateway.GatewayOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole cluster on this machine, in this process: an embedded ZooKeeper, one coordinator, N
 * node agents (each running its own native engine process) and a gateway on loopback.
 * {@link #close()} stops everything in reverse order and leaves no engine process behind; with a
 * temporary data directory it is deleted too.
 *
 * <p>The cluster is secured with its own cluster secret (docs/security.md), kept in
 * {@code DATA/cluster.secret} (mode 0600, made on the first start): ZooKeeper's znodes are the
 * members' alone, every engine has a per-boot password, and the coordinator takes changes only
 * from members (the gateway's {@code .cluster.*} functions). The gRPC control plane is plaintext
 * on loopback, and the gateway asks for a password only when given one.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);
    private static final String CLUSTER = "local";
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    /** The cluster secret's file in the data directory. */
    public static final String SECRET_FILE = "cluster.secret";

    /**
     * What to start.
     *
     * @param nodes        node agents (native engines) to run
     * @param replication  the replication the demo uses for its tables (at most {@code nodes})
     * @param gatewayPort  the first gateway's port on 127.0.0.1 (the others follow it), 0 for free ones
     * @param data         where ZooKeeper and the nodes keep their data (kept), or null for a temporary directory
     * @param engineCores  worker threads per engine ({@code -c}), 0 for the engine's default
     * @param gateway      the gateways' options
     * @param gateways     how many gateways (each its own router with its own ZooKeeper session)
     */
    public record Settings(int nodes, int replication, int gatewayPort, Path data, int engineCores, GatewayOptions gateway,
                           int gateways) {
        /** With one gateway. */
        public Settings(int nodes, int replication, int gatewayPort, Path data, int engineCores, GatewayOptions gateway) {
            this(nodes, replication, gatewayPort, data, engineCores, gateway, 1);
        }

        public Settings {
            if (gateways < 1 || gatewayPort > 0 && gatewayPort + gateways - 1 > 65535) {
                throw new IllegalArgumentException("gateways must be at least 1 and their ports at most 65535, got " + gateways
                        + " from port " + gatewayPort);
            }
            if (nodes < 1) {
                throw new IllegalArgumentException("a cluster needs at least one node, got " + nodes);
            }
            if (replication < 1 || replication > nodes) {
                throw new IllegalArgumentException("replication must be 1.." + nodes + " (one replica per node at most), got "
                        + replication);
            }
            if (gatewayPort < 0 || gatewayPort > 65535) {
                throw new IllegalArgumentException("gateway port must be 0..65535, got " + gatewayPort);
            }
        }
    }

    private final Settings settings;
    private final List<NodeAgent> nodes = new ArrayList<>();
    private Path dataDir;
    private boolean temporary;
    private EmbeddedZooKeeper zookeeper;
    private Coordinator coordinator;
    private final List<ClusterClient> clients = new ArrayList<>();
    private final List<Gateway> gateways = new ArrayList<>();
    private ClusterSecurity security;
    private boolean closed;

    private LocalCluster(Settings settings) {
        this.settings = settings;
    }

    /** Starts everything and returns once the gateways listen and every node is up; on failure stops what started. */
    public static LocalCluster start(Settings settings) {
        LocalCluster c = new LocalCluster(settings);
        try {
            c.startAll();
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void startAll() {
        try {
            temporary = settings.data() == null;
            dataDir = temporary ? Files.createTempDirectory("rfc-local") : Files.createDirectories(settings.data());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + settings.data() + ": " + e.getMessage(), e);
        }
        security = ClusterSecurity.of(secret(dataDir.resolve(SECRET_FILE)));
        zookeeper = EmbeddedZooKeeper.start(0, dataDir.resolve("zookeeper"), EmbeddedZooKeeper.DEFAULT_TICK_MS);
        // nodes before the coordinator: a coordinator that found tables but no nodes would mark every replica DOWN
        startNodes();
        try {
            coordinator = Coordinator.start(CoordinatorConfig.defaults(zookeeper.connectString()).withCluster(CLUSTER)
                    .withSecurity(security));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the coordinator: " + e.getMessage(), e);
        }
        awaitNodes();
        for (int i = 0; i < settings.gateways(); i++) {
            ClusterClient client = ClusterClient.connect(zookeeper.connectString(), CLUSTER, security);
            clients.add(client);
            gateways.add(new Gateway(client, settings.gateway()).start("127.0.0.1",
                    settings.gatewayPort() == 0 ? 0 : settings.gatewayPort() + i));
        }
    }

    /** The cluster secret in {@code file}, made there on the first start. */
    private static ClusterSecret secret(Path file) {
        if (!Files.exists(file)) {
            SecretFiles.write(file, SecretFiles.randomText(ClusterSecret.MIN_BYTES), false);
        }
        return ClusterSecret.read(file);
    }

    /** Starts the node agents in parallel; each starts its engine and registers. */
    private void startNodes() {
        List<CompletableFuture<NodeAgent>> starting = new ArrayList<>();
        for (int i = 1; i <= settings.nodes(); i++) {
            NodeConfig config = NodeConfig.builder(zookeeper.connectString(), CLUSTER, dataDir.resolve("node-" + i))
                    .host("127.0.0.1").controlBind("127.0.0.1").cores(settings.engineCores()).security(security).build();
            starting.add(CompletableFuture.supplyAsync(() -> NodeAgent.start(config)));
        }
        RuntimeException failure = null;
        for (CompletableFuture<NodeAgent> f : starting) {
            try {
                nodes.add(f.join());
            } catch (RuntimeException e) {
                failure = failure == null ? new IllegalStateException("a node failed to start: " + rootMessage(e), e) : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Waits until the coordinator sees every node registered with its engine up. */
    private void awaitNodes() {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            ClusterSnapshot s = coordinator.view().snapshot();
            long up = s.nodes().values().stream().filter(n -> n.getEngineUp()).count();
            if (up >= settings.nodes()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the nodes to register", e);
            }
        }
        throw new IllegalStateException("the nodes did not all register within " + READY_WITHIN.toSeconds() + " s: "
                + coordinator.view().snapshot().nodes().keySet());
    }

    /** The first gateway's port. */
    public int gatewayPort() {
        return gateways.get(0).port();
    }

    /** Every gateway's port, in start order. */
    public List<Integer> gatewayPorts() {
        return gateways.stream().map(Gateway::port).toList();
    }

    /** The gateways, in start order (a test may stop one). */
    public List<Gateway> gateways() {
        return List.copyOf(gateways);
    }

    public String zookeeper() {
        return zookeeper.connectString();
    }

    public String clusterName() {
        return CLUSTER;
    }

    public Settings settings() {
        return settings;
    }

    public List<NodeAgent> nodes() {
        return List.copyOf(nodes);
    }

    /** The embedded cluster client the first gateway serves with. */
    public ClusterClient client() {
        return clients.get(0);
    }

    /** The embedded cluster clients the gateways serve with, in start order. */
    public List<ClusterClient> clients() {
        return List.copyOf(clients);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The cluster's security (its secret; no TLS). */
    public ClusterSecurity security() {
        return security;
    }

    /** Stops the gateway, the client, the nodes (and their engines), the coordinator and ZooKeeper, in that order. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        gateways.forEach(LocalCluster::closeQuietly);
        clients.forEach(LocalCluster::closeQuietly);
        // the coordinator before the nodes, so no leader marks the leaving nodes' replicas DOWN (kept data stays LIVE)
        closeQuietly(coordinator);
        List<CompletableFuture<Void>> nodeStops = new ArrayList<>();
        for (NodeAgent agent : nodes) {
            nodeStops.add(CompletableFuture.runAsync(() -> closeQuietly(agent)));
        }
        nodeStops.forEach(CompletableFuture::join);
        closeQuietly(zookeeper);
        if (temporary && dataDir != null) {
            deleteTree(dataDir);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.warn("stopping {} failed: {}", c, e.getMessage());
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
