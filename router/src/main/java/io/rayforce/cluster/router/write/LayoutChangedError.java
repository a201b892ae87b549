package io.rayforce.cluster.router.write;

import io.rayforce.cluster.router.exec.ClusterQueryError;

/**
 * A write planned with a table's old shard count met the table resharded when it got the table's
 * write lock: nothing was written, and the write path plans it again ({@link WritePath}).
 */
final class LayoutChangedError extends ClusterQueryError {
    LayoutChangedError(String message) {
        super(message);
    }
}
