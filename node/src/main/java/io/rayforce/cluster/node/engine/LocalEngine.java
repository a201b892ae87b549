package io.rayforce.cluster.node.engine;

import io.rayforce.cluster.client.TCPClient;

/** The engine a node agent works on: a connection to it while it is up. */
public interface LocalEngine {
    /**
     * A connection to the engine (shared, pipelined, thread-safe; reopened after a restart).
     *
     * @throws EngineUnavailableException while the engine is down or stopped
     */
    TCPClient client();

    EngineStatus status();
}
