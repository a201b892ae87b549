package io.rayforce.cluster.node.shard;

import java.time.Duration;

/**
 * The cluster-wide write lock of one shard ({@code /locks/<table>/<shard>}): writers and copiers
 * of a shard take it, so a copy never races a write. The node agent uses the coordinator's
 * {@code ShardLocks}.
 */
@FunctionalInterface
public interface ShardLocking {
    /**
     * Takes the lock, waiting at most {@code timeout}; closing the result releases it.
     *
     * @throws Exception when the lock cannot be taken in time or ZooKeeper is unreachable
     */
    AutoCloseable lock(String table, int shard, Duration timeout) throws Exception;
}
