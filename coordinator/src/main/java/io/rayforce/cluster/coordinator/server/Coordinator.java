package io.rayforce.cluster.coordinator.server;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.Metrics;
import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.proto.ControlServiceGrpc;
import io.rayforce.cluster.coordinator.security.AccessToken;
import io.rayforce.cluster.coordinator.security.BearerTokenCheck;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import io.rayforce.cluster.coordinator.store.ClusterConnection;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.NodeCommands;
import io.rayforce.cluster.coordinator.store.PlacementStore;
import io.rayforce.cluster.coordinator.store.RouterBarrier;
import io.rayforce.cluster.coordinator.store.ShardLocks;
import io.rayforce.cluster.coordinator.store.ZooKeeperUnavailableException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One coordinator process: serves {@code ControlService} and gRPC health on its port, watches the
 * cluster ({@link ClusterView}), and takes part in the leader election ({@link LeaderLatch} at
 * {@code /leader}, its gRPC address as participant id). Any number may run; the elected one runs
 * the placement leader, the others forward mutations to it. When the leader dies (its ZooKeeper
 * session ends), another takes over.
 *
 * <p>Security ({@link CoordinatorConfig#security()}, docs/security.md): its ZooKeeper session
 * is authenticated and its znodes members-only when it has the cluster secret; its gRPC server
 * uses TLS when given a certificate; the mutating calls ({@link #MUTATIONS}) then need a bearer
 * token: the members' token (routers, other coordinators) or the operators' admin token. Its own
 * calls to nodes and to the leader carry the members' token.
 */
public final class Coordinator implements AutoCloseable {
    /** The health service name of the control plane (beside the server-wide "" name). */
    public static final String SERVICE = ControlServiceGrpc.SERVICE_NAME;
    private static final Logger log = LoggerFactory.getLogger(Coordinator.class);
    /** The ControlService calls that change the cluster: they need a token when the cluster is secured. */
    public static final Set<String> MUTATIONS = Set.of(ControlServiceGrpc.getCreateTableMethod().getFullMethodName(),
            ControlServiceGrpc.getDropTableMethod().getFullMethodName(), ControlServiceGrpc.getDrainNodeMethod().getFullMethodName(),
            ControlServiceGrpc.getRebalanceMethod().getFullMethodName(),
            ControlServiceGrpc.getReportReplicaFailureMethod().getFullMethodName(),
            ControlServiceGrpc.getSetReplicationMethod().getFullMethodName(), ControlServiceGrpc.getReshardMethod().getFullMethodName(),
            ControlServiceGrpc.getAddColumnsMethod().getFullMethodName());

    private final CoordinatorConfig config;
    private final ClusterConnection connection;
    private final ClusterView view;
    private final PlacementStore store;
    private final RouterBarrier routers;
    private final NodeCommands nodes;
    private final ShardLocks locks;
    private final HealthStatusManager health = new HealthStatusManager();
    private final ExecutorService leadership = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "coordinator-leadership");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ManagedChannel> peers = new ConcurrentHashMap<>();
    private Server server;
    private LeaderLatch latch;
    private CoordinatorMetrics metrics;
    private String address;
    private volatile PlacementLeader leader;
    private volatile String recentLeader = "";
    private volatile long leaderReadAt = System.nanoTime() - 2_000_000_000L;
    private volatile boolean closed;

    private Coordinator(CoordinatorConfig config, ClusterConnection connection) {
        this.config = config;
        this.connection = connection;
        PlacementStore.ensureLayout(connection.curator());
        this.view = ClusterView.start(connection.curator());
        this.store = new PlacementStore(connection.curator(), view);
        this.routers = RouterBarrier.start(connection.curator());
        this.nodes = new NodeCommands(config.nodeDeadline(), config.copyDeadline(), config.security());
        this.locks = new ShardLocks(connection.curator());
    }

    /**
     * Connects to ZooKeeper, starts serving and joins the leader election.
     *
     * @throws ZooKeeperUnavailableException when ZooKeeper cannot be reached
     * @throws IOException when the port cannot be bound
     */
    public static Coordinator start(CoordinatorConfig config) throws IOException {
        ClusterConnection connection = ClusterConnection.connect(config.connectString(), config.cluster(), config.sessionTimeout(),
                config.security());
        Coordinator c;
        try {
            c = new Coordinator(config, connection);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
        try {
            c.serve();
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void serve() throws IOException {
        ClusterSecurity security = config.security();
        List<ServerInterceptor> interceptors = new ArrayList<>(List.of(new Forwarding()));
        List<AccessToken> tokens = new ArrayList<>();
        if (security.hasSecret()) {
            tokens.add(AccessToken.of(security.internalToken()));
        }
        if (security.adminToken() != null) {
            tokens.add(security.adminToken());
        }
        if (!tokens.isEmpty()) {
            // intercept() runs the last interceptor first: the token is checked before anything else
            interceptors.add(new BearerTokenCheck("ControlService", MUTATIONS::contains, tokens,
                    "rfc admin commands: --token-file or RFC_ADMIN_TOKEN"));
        }
        server = Grpc.newServerBuilderForPort(config.port(), security.serverCredentials())
                .addService(ServerInterceptors.intercept(new ControlServiceImpl(this), interceptors))
                .addService(health.getHealthService())
                .build()
                .start();
        warnIfOpen(security);
        address = config.host() + ":" + server.getPort();
        latch = new LeaderLatch(connection.curator(), ZkPaths.LEADER, address);
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                becomeLeader();
            }

            @Override
            public void notLeader() {
                stepDown();
            }
        }, leadership);
        try {
            latch.start();
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot join the leader election: " + e.getMessage(), e);
        }
        metrics = new CoordinatorMetrics(Metrics.globalRegistry, this);
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(SERVICE, ServingStatus.SERVING);
        log.info("coordinator {} serving cluster {} (ZooKeeper {})", address, config.cluster(), config.connectString());
    }

    private void warnIfOpen(ClusterSecurity security) {
        if (!security.hasSecret()) {
            log.warn("coordinator runs without a cluster secret: its znodes are open to every ZooKeeper client and "
                    + "node engines have no password (fine for one machine; see docs/security.md)");
        } else {
            log.info("coordinator uses the cluster secret with fingerprint {}", security.secret().fingerprint());
        }
        if (security.tls() == null && security.adminToken() != null) {
            log.warn("the admin token travels in clear text: give the coordinator a TLS certificate (--tls-cert, --tls-key)");
        }
    }

    private void becomeLeader() {
        if (closed || leader != null) {
            return;
        }
        LeaderLatch l = latch;
        PlacementLeader p = new PlacementLeader(config, view, store.fencedBy(l::getOurPath), locks, nodes, routers, connection.curator());
        leader = p;
        p.start();
        log.info("coordinator {} is the placement leader", address);
    }

    private void stepDown() {
        PlacementLeader p = leader;
        leader = null;
        if (p != null) {
            p.close();
            log.info("coordinator {} is no longer the placement leader", address);
        }
    }

    /** The gRPC address others reach this coordinator at ({@code host:port}). */
    public String address() {
        return address;
    }

    public int port() {
        return server.getPort();
    }

    public boolean isLeader() {
        return leader != null && latch.hasLeadership();
    }

    /** The current leader's address, when one is elected. */
    public Optional<String> leaderAddress() {
        try {
            Participant p = latch.getLeader();
            return p.isLeader() && !p.getId().isEmpty() ? Optional.of(p.getId()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /**
     * The leader's address as last read, re-read when older than a second: for messages sent
     * often (placement streams), where a round trip to ZooKeeper each time would be wasteful.
     */
    String recentLeaderAddress() {
        long now = System.nanoTime();
        if (now - leaderReadAt > 1_000_000_000L) {
            recentLeader = leaderAddress().orElse("");
            leaderReadAt = now;
        }
        return recentLeader;
    }

    /** The addresses of every coordinator taking part in the election. */
    public List<String> coordinators() {
        List<String> out = new ArrayList<>();
        try {
            for (Participant p : latch.getParticipants()) {
                out.add(p.getId());
            }
        } catch (Exception e) {
            log.debug("cannot list coordinators: {}", e.toString());
        }
        return out;
    }

    public ClusterView view() {
        return view;
    }

    public ClusterConnection connection() {
        return connection;
    }

    public CoordinatorConfig config() {
        return config;
    }

    PlacementStore store() {
        return store;
    }

    /** The placement leader while this coordinator leads, else null. */
    PlacementLeader activeLeader() {
        return leader;
    }

    /** A channel to another coordinator (cached). */
    ManagedChannel peer(String peerAddress) {
        return peers.computeIfAbsent(peerAddress, a -> config.security().memberChannel(a));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        health.enterTerminalState();
        if (metrics != null) {
            metrics.close();
        }
        try {
            if (latch != null) {
                latch.close();
            }
        } catch (IOException | RuntimeException e) {
            log.debug("closing the leader latch: {}", e.toString());
        }
        stepDown();
        leadership.shutdownNow();
        if (server != null) {
            server.shutdown();
            try {
                if (!server.awaitTermination(1, TimeUnit.SECONDS)) {
                    server.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.shutdownNow();
            }
        }
        peers.values().forEach(ManagedChannel::shutdownNow);
        routers.close();
        view.close();
        nodes.close();
        connection.close();
        log.info("coordinator {} stopped", address);
    }

    @Override
    public String toString() {
        return "Coordinator(" + address + (isLeader() ? ", leader" : "") + ")";
    }
}
