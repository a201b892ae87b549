package io.rayforce.cluster.chaos.cluster;

/** The roles of a cluster's containers. */
public enum Role {
    ZOOKEEPER, COORDINATOR, NODE, GATEWAY
}
