package io.rayforce.cluster.coordinator.store;

/**
 * A held table lock (read or write, of one table or several; see {@link TableLocks}).
 * {@link #close()} releases it and must be called by the thread that took it (Curator's locks
 * are owned by a thread).
 */
public interface TableLock extends AutoCloseable {
    /** Releases the lock(s); releasing twice does nothing. */
    @Override
    void close();
}
