package io.rayforce.cluster.coordinator.store;

/**
 * A held shard lock (or several, see {@link ShardLocks#lockAll}). {@link #close()} releases it;
 * it must be called by the thread that took the lock (Curator's InterProcessMutex is owned by
 * a thread).
 */
public interface ShardLock extends AutoCloseable {
    /** Releases the lock(s); releasing twice does nothing. */
    @Override
    void close();
}
