package io.rayforce.cluster.router.services;

import io.rayforce.cluster.router.exec.ClusterQueryError;

/** The coordinator refused or could not carry out a control-plane call; the message says which and why. */
public final class ControlPlaneError extends ClusterQueryError {
    private final String status;

    public ControlPlaneError(String status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The gRPC status code name ({@code NOT_FOUND}, {@code FAILED_PRECONDITION}, {@code UNAVAILABLE}, ...). */
    public String status() {
        return status;
    }
}
