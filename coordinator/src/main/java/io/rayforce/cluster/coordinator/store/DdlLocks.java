package io.rayforce.cluster.coordinator.store;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per table name in this process, so that two creates, or a create and a drop, of one
 * name never interleave: not in the {@link PlacementStore} (a create that stages its buckets
 * would have them removed as leftovers by another) and not on the nodes (the leader creates a
 * table's shards before it writes the table). Reentrant: the leader holds it across a whole
 * create or drop, and the store takes it again inside. A name's lock is forgotten when nobody
 * holds or waits for it.
 *
 * <p>Cluster-wide exclusion is not its job: only the placement leader writes tables, and its
 * writes are fenced (see {@link PlacementStore#fencedBy}).
 */
public final class DdlLocks {
    private final Map<String, Entry> locks = new HashMap<>();

    /** Takes the lock of {@code table}, waiting as long as another thread holds it. */
    public Held lock(String table) {
        Entry entry;
        synchronized (locks) {
            entry = locks.computeIfAbsent(table, k -> new Entry());
            entry.users++;
        }
        entry.lock.lock();
        return new Held(table, entry);
    }

    /** How many table names have a lock now (held or waited for). */
    int size() {
        synchronized (locks) {
            return locks.size();
        }
    }

    private void release(String table, Entry entry) {
        entry.lock.unlock();
        synchronized (locks) {
            if (--entry.users == 0) {
                locks.remove(table);
            }
        }
    }

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    /** A held table lock; {@link #close()} releases it (once). */
    public final class Held implements AutoCloseable {
        private final String table;
        private final Entry entry;
        private final AtomicBoolean released = new AtomicBoolean();

        private Held(String table, Entry entry) {
            this.table = table;
            this.entry = entry;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                release(table, entry);
            }
        }
    }
}
