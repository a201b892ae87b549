package io.rayforce.cluster.client;

/** Base of every error this library raises (unchecked, like rayforce-py's RayforceError). */
public class RayforceError extends RuntimeException {
    public RayforceError(String message) {
        super(message);
    }

    public RayforceError(String message, Throwable cause) {
        super(message, cause);
    }
}
