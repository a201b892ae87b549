package io.rayforce.cluster.router.exec;

import io.rayforce.cluster.client.RayforceError;

/** A distributed query failed for a reason of the cluster's (not the engine's): the message says which. */
public class ClusterQueryError extends RayforceError {
    public ClusterQueryError(String message) {
        super(message);
    }

    public ClusterQueryError(String message, Throwable cause) {
        super(message, cause);
    }
}
