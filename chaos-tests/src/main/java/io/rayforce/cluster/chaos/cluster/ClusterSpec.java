package io.rayforce.cluster.chaos.cluster;

import java.time.Duration;

/**
 * The shape of a cluster under test: the image, how many ZooKeeper members, coordinators and
 * nodes, the cluster name, and the nodes' ZooKeeper session timeout (a paused or partitioned node
 * leaves membership one session timeout after its last heartbeat).
 */
public record ClusterSpec(String image, int zooKeepers, int coordinators, int nodes, String clusterName,
                          Duration sessionTimeout) {
    public ClusterSpec {
        if (zooKeepers < 1 || coordinators < 1 || nodes < 1) {
            throw new IllegalArgumentException("need at least one ZooKeeper member, coordinator and node");
        }
    }

    /** The same cluster with {@code n} nodes. */
    public ClusterSpec withNodes(int n) {
        return new ClusterSpec(image, zooKeepers, coordinators, n, clusterName, sessionTimeout);
    }

    /** Three ZooKeeper members, two coordinators, three nodes, sessions of 6 s. */
    public static ClusterSpec standard(String image) {
        return new ClusterSpec(image, 3, 2, 3, "chaos", Duration.ofSeconds(6));
    }
}
