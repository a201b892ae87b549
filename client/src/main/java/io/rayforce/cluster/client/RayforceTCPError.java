package io.rayforce.cluster.client;

/**
 * A connection-level failure: the server cannot be reached, refused the handshake or password,
 * did not answer in time, closed the connection, sent a malformed frame, or the client was used
 * after {@code close()}.
 */
public class RayforceTCPError extends RayforceError {
    public RayforceTCPError(String message) {
        super(message);
    }

    public RayforceTCPError(String message, Throwable cause) {
        super(message, cause);
    }
}
