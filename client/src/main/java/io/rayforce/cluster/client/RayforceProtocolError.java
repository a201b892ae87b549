package io.rayforce.cluster.client;

/** The peer sent bytes that break the wire protocol; the connection that carried them is closed. */
public class RayforceProtocolError extends RayforceTCPError {
    public RayforceProtocolError(String message) {
        super(message);
    }
}
