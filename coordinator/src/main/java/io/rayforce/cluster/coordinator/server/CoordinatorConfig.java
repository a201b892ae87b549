package io.rayforce.cluster.coordinator.server;

import io.rayforce.cluster.coordinator.security.ClusterSecurity;
import java.time.Duration;

/**
 * How a coordinator runs.
 *
 * @param connectString the ZooKeeper ensemble, e.g. {@code zk1:2181,zk2:2181}
 * @param cluster the cluster name (the ZooKeeper namespace {@code rayforce-cluster/<cluster>})
 * @param host the address other coordinators and clients use to reach this one
 * @param port the gRPC port, 0 for a free one
 * @param repairGrace how long a lost node's replicas stay DOWN before they are re-created elsewhere
 * @param sessionTimeout the ZooKeeper session timeout
 * @param routerWait how long the leader waits for routers to apply an epoch (replica failures, moves)
 * @param nodeDeadline deadline of quick node commands (create, drop, list shards)
 * @param copyDeadline deadline of one shard copy, and how long a drain with {@code wait} waits for its node to empty
 * @param workers shard tasks (copies, moves, drops) that may run at once
 * @param security the cluster secret (ZooKeeper ACLs, member tokens), gRPC TLS and the admin token
 * @param autoRebalance whether the leader rebalances by itself when a node starts taking shards
 *     (joins, is undrained, its engine comes up), once repairs are done
 */
public record CoordinatorConfig(String connectString, String cluster, String host, int port, Duration repairGrace,
        Duration sessionTimeout, Duration routerWait, Duration nodeDeadline, Duration copyDeadline, int workers,
        ClusterSecurity security, boolean autoRebalance) {

    public CoordinatorConfig {
        security = security == null ? ClusterSecurity.NONE : security;
    }

    /** Defaults: cluster {@code default}, 30 s grace, 15 s sessions, 30 s router wait, 4 workers, automatic rebalance. */
    public static CoordinatorConfig defaults(String connectString) {
        return new CoordinatorConfig(connectString, "default", "127.0.0.1", 0, Duration.ofSeconds(30), Duration.ofSeconds(15),
                Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMinutes(30), 4, ClusterSecurity.NONE, true);
    }

    public CoordinatorConfig withCluster(String value) {
        return new CoordinatorConfig(connectString, value, host, port, repairGrace, sessionTimeout, routerWait, nodeDeadline, copyDeadline, workers, security, autoRebalance);
    }

    public CoordinatorConfig withHost(String value) {
        return new CoordinatorConfig(connectString, cluster, value, port, repairGrace, sessionTimeout, routerWait, nodeDeadline, copyDeadline, workers, security, autoRebalance);
    }

    public CoordinatorConfig withPort(int value) {
        return new CoordinatorConfig(connectString, cluster, host, value, repairGrace, sessionTimeout, routerWait, nodeDeadline, copyDeadline, workers, security, autoRebalance);
    }

    public CoordinatorConfig withRepairGrace(Duration value) {
        return new CoordinatorConfig(connectString, cluster, host, port, value, sessionTimeout, routerWait, nodeDeadline, copyDeadline, workers, security, autoRebalance);
    }

    public CoordinatorConfig withSessionTimeout(Duration value) {
        return new CoordinatorConfig(connectString, cluster, host, port, repairGrace, value, routerWait, nodeDeadline, copyDeadline, workers, security, autoRebalance);
    }

    public CoordinatorConfig withRouterWait(Duration value) {
        return new CoordinatorConfig(connectString, cluster, host, port, repairGrace, sessionTimeout, value, nodeDeadline, copyDeadline, workers, security, autoRebalance);
    }

    public CoordinatorConfig withNodeDeadline(Duration value) {
        return new CoordinatorConfig(connectString, cluster, host, port, repairGrace, sessionTimeout, routerWait, value, copyDeadline, workers, security, autoRebalance);
    }

    public CoordinatorConfig withCopyDeadline(Duration value) {
        return new CoordinatorConfig(connectString, cluster, host, port, repairGrace, sessionTimeout, routerWait, nodeDeadline, value, workers, security, autoRebalance);
    }

    /** How this coordinator protects its links (docs/security.md). */
    public CoordinatorConfig withSecurity(ClusterSecurity value) {
        return new CoordinatorConfig(connectString, cluster, host, port, repairGrace, sessionTimeout, routerWait, nodeDeadline, copyDeadline, workers, value, autoRebalance);
    }

    public CoordinatorConfig withWorkers(int value) {
        return new CoordinatorConfig(connectString, cluster, host, port, repairGrace, sessionTimeout, routerWait, nodeDeadline, copyDeadline, value, security, autoRebalance);
    }

    /** Whether the leader rebalances by itself when a node starts taking shards (default on). */
    public CoordinatorConfig withAutoRebalance(boolean value) {
        return new CoordinatorConfig(connectString, cluster, host, port, repairGrace, sessionTimeout, routerWait, nodeDeadline, copyDeadline, workers, security, value);
    }
}
