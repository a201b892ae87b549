package io.rayforce.cluster.coordinator.store;

import io.rayforce.cluster.coordinator.meta.ZkPaths;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.atomic.AtomicValue;
import org.apache.curator.framework.recipes.atomic.DistributedAtomicLong;
import org.apache.curator.retry.RetryNTimes;

/**
 * Per-table row sequence numbers ({@link DistributedAtomicLong} at {@code /seq/<table>}): every
 * row gets the next number of its table, so merged results can follow insertion order. Numbers
 * start at 0 and are never handed out twice; a reservation that is never used leaves a gap.
 */
public final class RowSequences {
    private final CuratorFramework curator;
    private final Duration timeout;

    /** Sequences that give up on a reservation after {@code timeout} of contention. */
    public RowSequences(CuratorFramework curator, Duration timeout) {
        this.curator = curator;
        this.timeout = timeout;
    }

    /** Sequences with a 10 s timeout. */
    public RowSequences(CuratorFramework curator) {
        this(curator, Duration.ofSeconds(10));
    }

    /**
     * Reserves {@code count} consecutive sequence numbers of {@code table} and returns the first.
     *
     * @throws ZooKeeperUnavailableException when no reservation succeeded within the timeout
     */
    public long reserve(String table, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("cannot reserve " + count + " sequence numbers");
        }
        DistributedAtomicLong counter = new DistributedAtomicLong(curator, ZkPaths.sequence(table), new RetryNTimes(20, 1));
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                AtomicValue<Long> v = counter.add(count);
                if (v.succeeded()) {
                    return v.preValue();
                }
            } catch (Exception e) {
                last = e;
            }
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(1, 10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ZooKeeperUnavailableException("interrupted while reserving sequence numbers of " + table, e);
            }
        }
        throw new ZooKeeperUnavailableException("could not reserve " + count + " sequence numbers of table " + table
                + " within " + timeout.toMillis() + " ms" + (last == null ? " (contention)" : ": " + last.getMessage()), last);
    }

    /** The next number {@link #reserve} would hand out (0 for a table never written). */
    public long peek(String table) {
        try {
            AtomicValue<Long> v = new DistributedAtomicLong(curator, ZkPaths.sequence(table), new RetryNTimes(3, 10)).get();
            return v.postValue();
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot read the sequence of table " + table + ": " + e.getMessage(), e);
        }
    }
}
