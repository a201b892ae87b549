package io.rayforce.cluster.router.gateway;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.router.ClusterClient;
import io.rayforce.cluster.router.testing.LocalShards;
import java.util.ArrayList;
import java.util.List;

/**
 * A gateway in front of real native engines holding sharded tables ({@link LocalShards}), with
 * the oracle engine beside it; clients connect over real sockets.
 */
final class GatewayFixture implements AutoCloseable {
    private final LocalShards shards;
    private final ClusterClient cluster;
    private final Gateway gateway;
    private final List<TCPClient> clients = new ArrayList<>();

    GatewayFixture(int nodes, GatewayOptions options) {
        this(nodes, options, "127.0.0.1");
    }

    /** A gateway listening on {@code bindHost} (e.g. 0.0.0.0 to reach it through a non-loopback address). */
    GatewayFixture(int nodes, GatewayOptions options, String bindHost) {
        shards = new LocalShards(nodes);
        cluster = new ClusterClient(shards);
        gateway = new Gateway(cluster, options).start(bindHost, 0);
    }

    LocalShards shards() {
        return shards;
    }

    Gateway gateway() {
        return gateway;
    }

    /** The cluster client the gateway answers with. */
    ClusterClient cluster() {
        return cluster;
    }

    int port() {
        return gateway.port();
    }

    /** A Java client of the gateway, closed with the fixture. */
    synchronized TCPClient connect() {
        return connect(ClientOptions.DEFAULT);
    }

    synchronized TCPClient connect(ClientOptions options) {
        TCPClient c = new TCPClient("127.0.0.1", port(), options);
        clients.add(c);
        return c;
    }

    @Override
    public void close() {
        clients.forEach(TCPClient::close);
        gateway.close();
        cluster.close();
        shards.close();
    }
}
