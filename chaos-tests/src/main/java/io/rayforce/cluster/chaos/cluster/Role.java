package io.rayforce.cluster.chaos.cluster;

/** The roles of a cluster's containers; LOAD_BALANCER is HAProxy in front of the gateways. */
public enum Role {
    ZOOKEEPER, COORDINATOR, NODE, GATEWAY, LOAD_BALANCER
}
