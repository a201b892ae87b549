package io.rayforce.cluster.chaos.oracle;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.value.RayValue;

/**
 * The single-node differential oracle: one native Rayforce server (the pinned engine, run on
 * this machine, loopback only) that holds the same data the cluster was given, in the same order,
 * and answers the same queries. What one server answers is, by the cluster's contract, what the
 * cluster must answer.
 */
public final class SingleNodeOracle implements AutoCloseable {
    private final NativeServer server;
    private final TCPClient client;

    private SingleNodeOracle(NativeServer server) {
        this.server = server;
        this.client = new TCPClient("127.0.0.1", server.port());
    }

    public static SingleNodeOracle start() {
        return new SingleNodeOracle(NativeServer.startOnFreePort());
    }

    /** Runs one request on the oracle (a write, a load, or a read) and gives its answer. */
    public RayValue execute(String rayfall) {
        return client.execute(rayfall);
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            server.close();
        }
    }
}
