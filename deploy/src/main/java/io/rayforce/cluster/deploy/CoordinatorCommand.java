package io.rayforce.cluster.deploy;

import io.rayforce.cluster.coordinator.metrics.MetricsEndpoint;
import io.rayforce.cluster.coordinator.security.AccessToken;
import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import io.rayforce.cluster.coordinator.server.Coordinator;
import io.rayforce.cluster.coordinator.server.CoordinatorConfig;
import io.rayforce.cluster.coordinator.store.EmbeddedZooKeeper;
import io.rayforce.cluster.coordinator.store.ZooKeeperUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rfc coordinator}: runs one coordinator (any number may run; one is elected placement
 * leader) until SIGTERM or Ctrl-C, against an external ZooKeeper ensemble or an embedded server.
 */
@Command(name = "coordinator", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a coordinator: the gRPC control plane (tables, placement, drain, rebalance) and, when elected "
                + "leader, placement and repair. Run several against one ZooKeeper for failover.")
public final class CoordinatorCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    ZooKeeperChoice zookeeper;

    static final class ZooKeeperChoice {
        @Option(names = "--zookeeper", paramLabel = "HOST:PORT[,HOST:PORT...]", description = "ZooKeeper ensemble connect string.")
        String connectString;

        @Option(names = "--embedded-zookeeper", description = "Run a ZooKeeper server in this process (one machine).")
        boolean embedded;
    }

    @Option(names = "--zookeeper-port", defaultValue = "2181", paramLabel = "P",
            description = "Client port of the embedded ZooKeeper (default: ${DEFAULT-VALUE}; 0 for a free one).")
    int zookeeperPort;

    @Option(names = "--zookeeper-data", paramLabel = "DIR",
            description = "Data directory of the embedded ZooKeeper (default: a temporary directory, deleted on exit).")
    Path zookeeperData;

    @Option(names = "--cluster", defaultValue = "default", paramLabel = "NAME", description = "Cluster name (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--port", defaultValue = "7070", paramLabel = "P", description = "gRPC port (default: ${DEFAULT-VALUE}; 0 for a free one).")
    int port;

    @Option(names = "--host", paramLabel = "ADVERTISED_HOST",
            description = "Address other coordinators and clients use to reach this one (default: this host's name).")
    String host;

    @Option(names = "--repair-grace", defaultValue = "30s", paramLabel = "DURATION", converter = NodeCommand.DurationConverter.class,
            description = "How long a lost node's replicas stay DOWN before they are re-created elsewhere (default: ${DEFAULT-VALUE}).")
    Duration repairGrace;

    @Option(names = "--session-timeout", defaultValue = "15s", paramLabel = "DURATION", converter = NodeCommand.DurationConverter.class,
            description = "ZooKeeper session timeout: how soon another coordinator takes over a dead leader (default: ${DEFAULT-VALUE}).")
    Duration sessionTimeout;

    @Option(names = "--router-wait", defaultValue = "30s", paramLabel = "DURATION", converter = NodeCommand.DurationConverter.class,
            description = "How long the leader waits for routers to apply a placement change (default: ${DEFAULT-VALUE}).")
    Duration routerWait;

    @CommandLine.Mixin
    MemberSecurityOptions security;

    @CommandLine.Mixin
    MetricsOptions metrics;

    @Option(names = "--admin-token-file", defaultValue = "${env:RFC_ADMIN_TOKEN_FILE}", paramLabel = "FILE",
            description = "File whose first line is the operators' admin token (rfc secret generate FILE): calls that change "
                    + "the cluster need it, or the members' token (default: $RFC_ADMIN_TOKEN_FILE).")
    Path adminTokenFile;

    @Option(names = "--auto-rebalance", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Rebalance by itself when a node starts taking shards (it joins, is undrained, its engine comes up), "
                    + "once repairs are done; --no-auto-rebalance leaves that to `rfc rebalance` (default: on).")
    boolean autoRebalance;

    @Option(names = "--workers", defaultValue = "4", paramLabel = "N", description = "Shard copies run at once (default: ${DEFAULT-VALUE}).")
    int workers;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        EmbeddedZooKeeper embedded = null;
        Coordinator coordinator = null;
        MetricsEndpoint endpoint = null;
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                done.await(20, java.util.concurrent.TimeUnit.SECONDS); // let the main thread shut down cleanly
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "rfc-coordinator-shutdown");
        try {
            String connect = zookeeper.connectString;
            if (zookeeper.embedded) {
                embedded = EmbeddedZooKeeper.start(zookeeperPort, zookeeperData, EmbeddedZooKeeper.DEFAULT_TICK_MS);
                connect = embedded.connectString();
                out.println("embedded ZooKeeper listening on " + connect + " (data " + embedded.dataDir() + ")");
            }
            CoordinatorConfig config = CoordinatorConfig.defaults(connect).withCluster(cluster).withHost(host != null ? host : localHost())
                    .withPort(port).withRepairGrace(repairGrace).withSessionTimeout(sessionTimeout).withRouterWait(routerWait)
                    .withWorkers(workers).withSecurity(memberSecurity()).withAutoRebalance(autoRebalance);
            endpoint = metrics.start();
            coordinator = Coordinator.start(config);
            if (endpoint != null) {
                out.println("metrics on " + endpoint.url());
            }
            out.println("coordinator serving at " + coordinator.address() + " (cluster " + cluster + ", ZooKeeper " + connect + ")");
            out.flush();
            Runtime.getRuntime().addShutdownHook(hook);
            stop.await();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (ZooKeeperUnavailableException | IllegalArgumentException | IOException e) {
            spec.commandLine().getErr().println("coordinator failed to start: " + e.getMessage());
            return ControlClient.FAILED;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // shutting down
            }
            if (coordinator != null) {
                coordinator.close();
                out.println("coordinator stopped");
                out.flush();
            }
            if (embedded != null) {
                embedded.close();
            }
            if (endpoint != null) {
                endpoint.close();
            }
            done.countDown();
        }
    }

    private ClusterSecurity memberSecurity() {
        ClusterSecurity s = security.security();
        return adminTokenFile == null ? s : s.withAdminToken(AccessToken.read(adminTokenFile));
    }

    static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }
}
