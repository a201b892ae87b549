package io.rayforce.cluster.client;

/**
 * A request that certainly did not reach the server: the connection was closed (or could not be
 * made) before any of it was written. Retrying it elsewhere cannot run it twice.
 */
public final class RayforceNotSentError extends RayforceTCPError {
    public RayforceNotSentError(String message) {
        super(message);
    }

    public RayforceNotSentError(String message, Throwable cause) {
        super(message, cause);
    }
}
