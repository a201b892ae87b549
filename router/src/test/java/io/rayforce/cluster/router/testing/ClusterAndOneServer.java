package io.rayforce.cluster.router.testing;

import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.router.gateway.GatewayOptions;

/**
 * A whole cluster ({@link JournaledCluster}: ZooKeeper, the coordinator, three node agents with
 * journals, a router and its gateway) beside one native server, the oracle of the differential
 * tests: what the gateway answers must be what the one server answers.
 */
public final class ClusterAndOneServer implements AutoCloseable {
    private final JournaledCluster cluster;
    private final NativeServer oneServer;

    private ClusterAndOneServer(JournaledCluster cluster, NativeServer oneServer) {
        this.cluster = cluster;
        this.oneServer = oneServer;
    }

    public static ClusterAndOneServer start() {
        JournaledCluster cluster = new JournaledCluster(3, GatewayOptions.DEFAULT);
        try {
            return new ClusterAndOneServer(cluster, NativeServer.startOnFreePort());
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public JournaledCluster cluster() {
        return cluster;
    }

    /** The one server's port. */
    public int oneServerPort() {
        return oneServer.port();
    }

    @Override
    public void close() {
        oneServer.close();
        cluster.close();
    }
}
