package io.rayforce.cluster.coordinator.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

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
     * a new number. A router's reads under its own write lease of a table get a new number from the
     * same count whenever the lease commits ({@link ReadLeases#nextVersion}). Empty when the lock
     * gives no such promise.
     */
    default Map<String, Long> versions() {
        return Map.of();
    }

    /** {@code held} as one lock: let go together, the last taken first, with the read versions of them all. */
    static TableLock all(List<TableLock> held) {
        Map<String, Long> versions = new HashMap<>();
        held.forEach(l -> versions.putAll(l.versions()));
        Map<String, Long> all = Map.copyOf(versions);
        List<TableLock> locks = List.copyOf(held);
        AtomicBoolean open = new AtomicBoolean(true);
        return new TableLock() {
            @Override
            public void close() {
                if (open.compareAndSet(true, false)) {
                    closeAll(locks);
                }
            }

            @Override
            public Map<String, Long> versions() {
                return all;
            }
        };
    }

    /** Lets go of {@code held}, the last taken first. */
    static void closeAll(List<TableLock> held) {
        for (int i = held.size() - 1; i >= 0; i--) {
            held.get(i).close();
        }
    }
}
