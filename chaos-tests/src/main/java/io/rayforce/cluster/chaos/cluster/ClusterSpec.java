package io.rayforce.cluster.chaos.cluster;

import java.time.Duration;

/**
 * The shape of a cluster under test: the image, how many ZooKeeper members, coordinators, nodes
 * and gateways (with HAProxy in front of them), the cluster name, and the nodes' ZooKeeper session
 * timeout (a paused or partitioned node leaves membership one session timeout after its last
 * heartbeat; gateways keep their own 2 s default).
 */
public record ClusterSpec(String image, int zooKeepers, int coordinators, int nodes, int gateways, String clusterName,
                          Duration sessionTimeout) {
    public ClusterSpec {
        if (zooKeepers < 1 || coordinators < 1 || nodes < 1 || gateways < 1) {
            throw new IllegalArgumentException("need at least one ZooKeeper member, coordinator, node and gateway");
        }
    }

    /** The same cluster with {@code n} nodes. */
    public ClusterSpec withNodes(int n) {
        return new ClusterSpec(image, zooKeepers, coordinators, n, gateways, clusterName, sessionTimeout);
    }

    /** Three ZooKeeper members, two coordinators, three nodes, two gateways, node sessions of 6 s. */
    public static ClusterSpec standard(String image) {
        return new ClusterSpec(image, 3, 2, 3, 2, "chaos", Duration.ofSeconds(6));
    }
}
