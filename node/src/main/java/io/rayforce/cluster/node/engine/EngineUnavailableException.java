package io.rayforce.cluster.node.engine;

/** The node's engine is down (restarting) or stopped, so a request to it cannot be served now. */
public final class EngineUnavailableException extends RuntimeException {
    public EngineUnavailableException(String message) {
        super(message);
    }

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
