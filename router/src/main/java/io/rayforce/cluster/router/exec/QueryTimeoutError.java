package io.rayforce.cluster.router.exec;

import java.time.Duration;

/** The query did not finish within its timeout. */
public final class QueryTimeoutError extends ClusterQueryError {
    public QueryTimeoutError(Duration timeout, String detail) {
        super("query timed out after " + timeout.toMillis() + " ms" + (detail == null ? "" : ": " + detail));
    }
}
