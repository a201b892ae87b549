package io.rayforce.cluster.router.exec;

/** The cluster cannot run this query shape; the message names the construct and why. */
public final class UnsupportedQueryError extends ClusterQueryError {
    public UnsupportedQueryError(String message) {
        super(message);
    }
}
