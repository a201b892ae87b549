package io.rayforce.cluster.router.exec;

/** The query was cancelled (the client went away, or asked). */
public final class QueryCancelledError extends ClusterQueryError {
    public QueryCancelledError(String reason) {
        super("query cancelled: " + reason);
    }
}
