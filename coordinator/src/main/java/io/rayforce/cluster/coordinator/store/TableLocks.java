package io.rayforce.cluster.coordinator.store;

import io.rayforce.cluster.coordinator.meta.ZkPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide per-table read-write locks ({@link InterProcessReadWriteLock} at
 * {@code /locks/<table>/rw}), so a read sees each write to a table whole or not at all: readers
 * share a table, a writer excludes them. The recipe is fair: a writer waits for the readers ahead
 * of it, and readers that come after a waiting writer wait for it. Several tables are read-locked
 * in name order, so two readers never deadlock; a writer takes one table's lock (and then its
 * shard locks, {@link ShardLocks}). Routers read through {@link ReadLeases}, which hold these
 * read locks as leases shared by all of a router's reads.
 */
public final class TableLocks {
    private static final Logger log = LoggerFactory.getLogger(TableLocks.class);

    private final CuratorFramework curator;

    public TableLocks(CuratorFramework curator) {
        this.curator = curator;
    }

    /**
     * Takes the read locks of {@code tables} in name order (duplicates once), waiting at most
     * {@code timeout} in all; on failure none is held. No tables: nothing is taken.
     *
     * @throws TimeoutException naming the table whose writer kept it too long
     */
    public TableLock readAll(Collection<String> tables, Duration timeout) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<InterProcessMutex> held = new ArrayList<>();
        try {
            for (String table : new TreeSet<>(tables)) {
                InterProcessMutex m = new InterProcessReadWriteLock(curator, ZkPaths.tableLock(table)).readLock();
                acquire(m, table, "read", deadline, timeout);
                held.add(m);
            }
        } catch (TimeoutException | RuntimeException e) {
            release(held);
            throw e;
        }
        return holding(held);
    }

    /**
     * Takes the write lock of {@code table}, waiting at most {@code timeout} for the readers and
     * the writer ahead of it.
     *
     * @throws TimeoutException naming the table when it stayed locked too long
     */
    public TableLock write(String table, Duration timeout) throws TimeoutException {
        InterProcessMutex m = new InterProcessReadWriteLock(curator, ZkPaths.tableLock(table)).writeLock();
        acquire(m, table, "write", System.nanoTime() + timeout.toNanos(), timeout);
        return holding(List.of(m));
    }

    private static void acquire(InterProcessMutex m, String table, String kind, long deadline, Duration timeout)
            throws TimeoutException {
        boolean acquired;
        try {
            acquired = m.acquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted while waiting for the " + kind + " lock of table " + table);
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot take the " + kind + " lock of table " + table + ": "
                    + e.getMessage(), e);
        }
        if (!acquired) {
            throw new TimeoutException("could not take the " + kind + " lock of table " + table + " within "
                    + timeout.toMillis() + " ms (" + (kind.equals("read") ? "a write to it is in progress"
                    : "reads or another write of it are in progress") + ")");
        }
    }

    private static TableLock holding(List<InterProcessMutex> held) {
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                release(held);
            }
        };
    }

    /** Releases in reverse order; an interrupted thread releases too (its flag is kept). */
    private static void release(List<InterProcessMutex> held) {
        boolean interrupted = Thread.interrupted();
        try {
            for (int i = held.size() - 1; i >= 0; i--) {
                try {
                    held.get(i).release();
                } catch (Exception e) {
                    // the session ended (its lock znode is gone with it)
                    log.warn("releasing a table lock failed: {}", e.toString());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
