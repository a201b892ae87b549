package io.rayforce.cluster.coordinator.store;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.apache.zookeeper.KeeperException;

/**
 * The retry rule of every placement write in {@link PlacementStore}, used the way Curator's
 * {@code RetryLoop} is: the writer runs its attempts in a loop and hands each failure to
 * {@link #takeException}, which returns when the attempt should run again and throws otherwise.
 *
 * <ul>
 *   <li>a transaction that failed on the fence znode: {@link FencedException} (this process is no
 *       longer the placement leader);
 *   <li>any other failed transaction, or a znode that already exists (a concurrent change of the
 *       epoch got there first, or a change that never finished left something behind): a pause of
 *       a few milliseconds, then again; past the timeout, {@link PlacementConflictException};
 *   <li>the store's own outcomes ({@link TableExistsException}, {@link NoSuchTableException},
 *       {@link PlacementConflictException}, {@link FencedException}): thrown as they are;
 *   <li>anything else: {@link ZooKeeperUnavailableException}.
 * </ul>
 */
final class ConflictRetry {
    private final String what;
    private final Duration timeout;
    private final Supplier<String> fence;
    private final long deadline;

    /**
     * @param what the write, as in "cannot {@code what}" (e.g. {@code create table trades})
     * @param timeout how long conflicts may go on, from now
     * @param fence the fence znode's path, or null for a store without a fence
     */
    ConflictRetry(String what, Duration timeout, Supplier<String> fence) {
        this.what = what;
        this.timeout = timeout;
        this.fence = fence;
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    /** When the writer gives up, in {@link System#nanoTime()} terms. */
    long deadline() {
        return deadline;
    }

    /** Returns (after a short pause) when the failed attempt should run again; otherwise throws what the caller should see. */
    void takeException(Exception e) {
        if (e instanceof Transaction.Failed failed) {
            if (fence != null && Objects.equals(failed.path(), fence.get())) {
                throw new FencedException("cannot " + what + ": no longer the placement leader");
            }
            pause(e);
        } else if (e instanceof KeeperException.NodeExistsException) {
            pause(e);
        } else if (e instanceof TableExistsException || e instanceof NoSuchTableException
                || e instanceof PlacementConflictException || e instanceof FencedException) {
            throw (RuntimeException) e;
        } else {
            throw new ZooKeeperUnavailableException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private void pause(Exception cause) {
        String attempt = what + " (" + cause.getMessage() + ")";
        if (System.nanoTime() > deadline) {
            throw new PlacementConflictException("gave up on " + attempt + " after " + timeout.toMillis()
                    + " ms of conflicting concurrent changes");
        }
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlacementConflictException("interrupted during " + attempt);
        }
    }
}
