package io.rayforce.cluster.node;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.Metrics;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.NodeServiceGrpc;
import io.rayforce.cluster.coordinator.security.AccessToken;
import io.rayforce.cluster.coordinator.security.BearerTokenCheck;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.NodeRegistry;
import io.rayforce.cluster.coordinator.store.PlacementStore;
import io.rayforce.cluster.coordinator.store.ShardLocks;
import io.rayforce.cluster.node.engine.EngineStatus;
import io.rayforce.cluster.node.engine.EngineSupervisor;
import io.rayforce.cluster.node.rpc.NodeServiceImpl;
import io.rayforce.cluster.node.shard.ShardCopier;
import io.rayforce.cluster.node.shard.ShardCopies;
import io.rayforce.cluster.node.shard.ShardStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster node: a native engine under supervision ({@link EngineSupervisor}), its membership
 * in ZooKeeper ({@link NodeRegistry}: the ephemeral {@code /nodes/<id>} with its {@link NodeInfo},
 * gone when the session ends, back when a new one starts), and the gRPC control plane
 * ({@code NodeService} plus the standard gRPC health service) that the coordinator drives.
 *
 * <p>Start order: node id (from {@code DATA/node.id}), engine (its journal replayed), leftover
 * copy staging tables dropped, gRPC server, ZooKeeper session, cluster view, registration. So a
 * node is a member only once it can serve. {@link #close()} goes the other way: the node leaves
 * membership first, then the control plane stops, then the engine (SIGTERM).
 *
 * <p>Draining: the coordinator sets {@code /node-state/<id>} draining; the agent then refuses new
 * shards (FAILED_PRECONDITION) and reports {@link #drained()} once no table places a replica on
 * it, after which it may leave ({@link #whenDrained()}).
 *
 * <p>Its meters ({@link NodeMetrics}, {@link ShardCopies}) are in Micrometer's global registry.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

    private final NodeConfig config;
    private final String nodeId;
    private final EngineSupervisor engine;
    private final HealthStatusManager health = new HealthStatusManager();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final long startedAt = System.currentTimeMillis();
    private volatile boolean draining;
    private final java.util.concurrent.atomic.AtomicBoolean drainedSeen = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;
    private Server server;
    private ClusterConnection connection;
    private ClusterView view;
    private volatile NodeRegistry registry;

    private NodeAgent(NodeConfig config) {
        this.config = config;
        DataDirectory.prepare(config.dataDir());
        this.nodeId = NodeIdentity.resolve(config.dataDir(), config.nodeId());
        int ipcPort = config.ipcPort() == 0 ? NativeServer.freePort() : config.ipcPort();
        ServerOptions options = ServerOptions.onPort(ipcPort).cores(config.cores());
        String bind = config.engineBindAddress();
        if (bind != null) {
            options = options.bind(resolve(bind));
        }
        ClusterSecurity security = config.security();
        this.engine = new EngineSupervisor(config.engineBinary(), options, config.dataDir(), config.supervisor(),
                security.hasSecret() ? nonce -> security.enginePassword(nodeId, nonce) : null);
    }

    /** The engine listens on an IP address: a host name is resolved here. */
    private static String resolve(String host) {
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve the engine's listening address '" + host
                    + "' (--host or --engine-bind)", e);
        }
    }

    /** Starts a node agent; on failure everything already started is stopped again. */
    public static NodeAgent start(NodeConfig config) {
        NodeAgent agent = new NodeAgent(config);
        try {
            agent.startAll();
        } catch (RuntimeException | Error e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    private void startAll() {
        engine.addListener(this::engineChanged);
        engine.start();
        resources.push(engine);
        NodeMetrics metrics = new NodeMetrics(Metrics.globalRegistry, nodeId, engine);
        resources.push(metrics);
        ShardCopies copies = new ShardCopies(Metrics.globalRegistry, nodeId);
        resources.push(copies);
        ShardStore store = new ShardStore(engine);
        store.dropStaging();

        ClusterSecurity security = config.security();
        connection = ClusterConnection.connect(config.zookeeper(), config.cluster(), config.sessionTimeout(), security);
        resources.push(connection);
        ShardLocks locks = new ShardLocks(connection.curator());
        ShardCopier copier = new ShardCopier(engine, config.copyPageBytes(), config.supervisor().requestTimeout(), copies);
        NodeServiceImpl service = new NodeServiceImpl(() -> nodeId, engine, store, copier, locks::lock, () -> draining,
                config.lockTimeout(), security::enginePassword);
        ServerServiceDefinition nodeService = service.bindService();
        if (security.hasSecret()) {
            // only cluster members (the coordinator leader) may command the node
            nodeService = ServerInterceptors.intercept(nodeService, new BearerTokenCheck("NodeService", m -> true,
                    List.of(AccessToken.of(security.internalToken())), "only cluster members with the cluster secret may call it"));
        }
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress(config.controlBind(), config.controlPort()),
                            security.serverCredentials())
                    .addService(nodeService)
                    .addService(health.getHealthService())
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the node's gRPC server on " + config.controlBind() + ":"
                    + config.controlPort() + ": " + e.getMessage(), e);
        }
        resources.push(this::stopServer);
        updateHealth(engine.status());

        PlacementStore.ensureLayout(connection.curator());
        view = ClusterView.start(connection.curator(), Duration.ofSeconds(30));
        resources.push(view);
        metrics.watch(view, nodeId);
        view.addListener(this::clusterChanged);
        registry = NodeRegistry.register(connection.curator(), currentInfo(), Duration.ofSeconds(30));
        resources.push(this::deregister);
        clusterChanged(view.snapshot());
        log.info("node {} joined cluster {}: IPC {}:{}, control {}:{}, data {}, {}", nodeId, config.cluster(), config.host(),
                engine.port(), config.host(), server.getPort(), config.dataDir(), security.hasSecret()
                        ? "engine password from the cluster secret (fingerprint " + security.secret().fingerprint() + ")"
                        : "no cluster secret: the engine has no password");
    }

    private NodeInfo currentInfo() {
        EngineStatus s = engine.status();
        return NodeInfo.newBuilder()
                .setId(nodeId)
                .setHost(config.host())
                .setIpcPort(engine.port())
                .setControlPort(server == null ? config.controlPort() : server.getPort())
                .setEngineVersion(s.version())
                .setCapacityBytes(config.effectiveCapacity())
                .setEngineUp(s.up())
                .setStartedAtMillis(startedAt)
                .setBootNonce(engine.bootNonce())
                .build();
    }

    private void engineChanged(EngineStatus status) {
        updateHealth(status);
        NodeRegistry r = registry;
        if (r != null && !closed) {
            try {
                r.update(currentInfo());
            } catch (RuntimeException e) {
                log.warn("node {} could not publish its engine state ({}): {}", nodeId, status.state(), e.getMessage());
            }
        }
    }

    private void updateHealth(EngineStatus status) {
        ServingStatus s = status.up() && !closed ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        health.setStatus("", s);
        health.setStatus(NodeServiceGrpc.SERVICE_NAME, s);
    }

    private void clusterChanged(ClusterSnapshot snapshot) {
        snapshot.node(nodeId).ifPresent(n -> {
            if (n.getDraining() != draining) {
                draining = n.getDraining();
                log.info("node {} is {}", nodeId, draining ? "draining: it takes no new shards" : "no longer draining");
            }
        });
        if (draining && holdsNoReplica(snapshot) && drainedSeen.compareAndSet(false, true)) {
            log.info("node {} is drained: no table places a replica on it any more", nodeId);
            // completed off the cluster view's thread: a callback may well close this agent (and the view)
            ForkJoinPool.commonPool().execute(() -> drained.complete(null));
        }
    }

    private boolean holdsNoReplica(ClusterSnapshot snapshot) {
        return snapshot.tables().values().stream()
                .flatMap(t -> t.getShardsList().stream())
                .flatMap(s -> s.getReplicasList().stream())
                .noneMatch(r -> r.getNodeId().equals(nodeId));
    }

    public String nodeId() {
        return nodeId;
    }

    /** What the node registered (as of now). */
    public NodeInfo info() {
        return currentInfo();
    }

    public int ipcPort() {
        return engine.port();
    }

    public int controlPort() {
        return server.getPort();
    }

    public EngineSupervisor engine() {
        return engine;
    }

    /** The agent's ZooKeeper connection (its session carries the node's membership). */
    public ClusterConnection zooKeeper() {
        return connection;
    }

    public NodeConfig config() {
        return config;
    }

    /** True while the coordinator has marked the node draining. */
    public boolean draining() {
        return draining;
    }

    /** True once the node was marked draining and no table places a replica on it. */
    public boolean drained() {
        return drained.isDone();
    }

    /** Completes when the node is {@link #drained()}. */
    public CompletableFuture<Void> whenDrained() {
        return drained;
    }

    /** Waits until the node is drained; false on timeout. */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        try {
            drained.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private void deregister() {
        NodeRegistry r = registry;
        registry = null;
        if (r != null) {
            r.close();
        }
    }

    private void stopServer() throws InterruptedException {
        health.enterTerminalState();
        server.shutdown();
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Leaves membership, stops the control plane, then stops the engine. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.warn("node {}: error while stopping: {}", nodeId, e.toString());
            }
        }
        drained.completeExceptionally(new IllegalStateException("node " + nodeId + " stopped"));
        log.info("node {} stopped", nodeId);
    }

    @Override
    public String toString() {
        return "NodeAgent(" + nodeId + ", IPC " + config.host() + ":" + engine.port() + ", " + engine.status().state() + ")";
    }
}
