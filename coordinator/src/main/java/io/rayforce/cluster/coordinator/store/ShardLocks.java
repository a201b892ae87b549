package io.rayforce.cluster.coordinator.store;

import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ZkPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide per-shard locks ({@link InterProcessMutex} at {@code /locks/<table>/<shard>}): one
 * writer or copier per shard at a time, so writes apply to every replica in one order and a copy
 * never races a write. Several shards are always taken in one fixed order (table, then shard), so
 * two processes locking overlapping sets cannot deadlock.
 */
public final class ShardLocks {
    private static final Logger log = LoggerFactory.getLogger(ShardLocks.class);
    private static final Comparator<ShardRef> ORDER = Comparator.comparing(ShardRef::table).thenComparingInt(ShardRef::shard);

    private final CuratorFramework curator;

    public ShardLocks(CuratorFramework curator) {
        this.curator = curator;
    }

    /**
     * Takes the lock of one shard, waiting at most {@code timeout}.
     *
     * @throws TimeoutException naming the shard when another holder kept it too long
     */
    public ShardLock lock(String table, int shard, Duration timeout) throws TimeoutException {
        return lockAll(List.of(new ShardRef(table, shard)), timeout);
    }

    /**
     * Takes the locks of several shards in the fixed order (duplicates are taken once), waiting
     * at most {@code timeout} in all; on failure none is held.
     *
     * @throws TimeoutException naming the shard that could not be locked
     */
    public ShardLock lockAll(Collection<ShardRef> shards, Duration timeout) throws TimeoutException {
        TreeSet<ShardRef> ordered = new TreeSet<>(ORDER);
        ordered.addAll(shards);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<InterProcessMutex> held = new ArrayList<>();
        try {
            for (ShardRef ref : ordered) {
                InterProcessMutex mutex = new InterProcessMutex(curator, ZkPaths.shardLock(ref.table(), ref.shard()));
                long left = Math.max(0, deadline - System.nanoTime());
                boolean acquired;
                try {
                    acquired = mutex.acquire(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TimeoutException("interrupted while locking shard " + ref);
                } catch (Exception e) {
                    throw new ZooKeeperUnavailableException("cannot lock shard " + ref + ": " + e.getMessage(), e);
                }
                if (!acquired) {
                    throw new TimeoutException("shard " + ref + " stayed locked by another writer or copier for "
                            + timeout.toMillis() + " ms");
                }
                held.add(mutex);
            }
        } catch (TimeoutException | RuntimeException e) {
            release(held);
            throw e;
        }
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                release(held);
            }
        };
    }

    private static void release(List<InterProcessMutex> held) {
        for (int i = held.size() - 1; i >= 0; i--) {
            try {
                held.get(i).release();
            } catch (Exception e) {
                // the session ended (its lock znode is gone with it) or another thread released
                log.warn("releasing a shard lock failed: {}", e.toString());
            }
        }
    }
}
