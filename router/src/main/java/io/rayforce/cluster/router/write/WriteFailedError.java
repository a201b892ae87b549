package io.rayforce.cluster.router.write;

import io.rayforce.cluster.router.exec.ClusterQueryError;

/**
 * A write was not acknowledged: no replica of some shard applied it, or a replica that missed
 * it could not be marked STALE. The message names the shards, the replicas and the reasons,
 * and says what was left applied.
 */
public final class WriteFailedError extends ClusterQueryError {
    public WriteFailedError(String message) {
        super(message);
    }
}
