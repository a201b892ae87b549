package io.rayforce.cluster.client;

/** No answer came within the request timeout; the connection was closed (answers carry no id). */
public final class RayforceTimeoutError extends RayforceTCPError {
    public RayforceTimeoutError(String message) {
        super(message);
    }
}
