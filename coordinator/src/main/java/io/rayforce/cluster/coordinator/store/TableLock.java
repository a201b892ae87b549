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

    /**
     * For a read lock held as a lease ({@link ReadLeases}): each table's read version, the number
     * of the lease this read holds. Two reads of this process that see the same version of a table
     * saw the same data: no write to it can commit while a lease is held, and the next lease gets
     * a new number. Empty when the lock gives no such promise.
     */
    default java.util.Map<String, Long> versions() {
        return java.util.Map.of();
    }
}
