package io.rayforce.cluster.router.services;

import io.rayforce.cluster.coordinator.store.SessionLiveness;
import io.rayforce.cluster.coordinator.store.TableLock;
import io.rayforce.cluster.coordinator.store.TableLocks;
import io.rayforce.cluster.coordinator.store.ZooKeeperUnavailableException;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * The table write locks this router holds, each with the ZooKeeper session that took it, and the
 * check every write request passes just before it is sent to an engine: that session must be
 * proven alive at that moment ({@link SessionLiveness}). A writer whose session expired (a long
 * pause, a partition from ZooKeeper) has lost its lock and its intent's owner, and another router
 * may already be recovering its write; past this check it sends nothing more, so no append or
 * staging of a write can land after the recovery that undid it. (A request already on its way
 * when the proof ran out must reach its engine within the third of the session timeout the proof
 * leaves.)
 */
public final class WriteFence {
    private static final CompletableFuture<Void> PASS = CompletableFuture.completedFuture(null);

    private final TableLocks tableLocks;
    private final SessionLiveness liveness;
    private final ConcurrentHashMap<String, Long> held = new ConcurrentHashMap<>();

    public WriteFence(TableLocks tableLocks, SessionLiveness liveness) {
        this.tableLocks = tableLocks;
        this.liveness = liveness;
    }

    /**
     * Takes the write lock of {@code table} (waiting at most {@code timeout}) and records the
     * session that holds it until the lock is closed.
     *
     * @throws TimeoutException naming the table when reads or another write kept it
     * @throws ZooKeeperUnavailableException when ZooKeeper failed, or the session changed meanwhile
     */
    public TableLock lock(String table, Duration timeout) throws TimeoutException {
        if (liveness.sessionId() == 0) {
            // no heartbeat answered yet (the router just started): the session is not known
            try {
                liveness.awaitAnswer(System.nanoTime() + timeout.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TimeoutException("interrupted while waiting for ZooKeeper to take the write lock of table " + table);
            }
        }
        long by = liveness.sessionId();
        TableLock lock = tableLocks.write(table, timeout);
        if (by == 0 || liveness.sessionId() != by) {
            lock.close();
            throw new ZooKeeperUnavailableException("the ZooKeeper session changed while the write lock of table " + table
                    + " was taken");
        }
        held.put(table, by);
        return () -> {
            held.remove(table, by);
            lock.close();
        };
    }

    /** The ZooKeeper session that holds this router's write lock of {@code table}; 0 when it holds none. */
    public long session(String table) {
        Long s = held.get(table);
        return s == null ? 0 : s;
    }

    /**
     * Completes when a write request to {@code table} may be sent now: the session holding its
     * write lock is proven alive (waiting for a heartbeat when the last proof is too old). Fails
     * with a {@link ClusterQueryError} when this router holds no write lock of the table or the
     * session that took it ended.
     */
    public CompletableFuture<Void> beforeSend(String table) {
        Long session = held.get(table);
        if (session == null) {
            return CompletableFuture.failedFuture(new ClusterQueryError("not sent: this router holds no write lock of table "
                    + table));
        }
        if (liveness.provenAlive(session)) {
            return PASS;
        }
        // ask for a proof that leaves half the window for the send itself
        long at = System.nanoTime() + liveness.window().toNanos() / 2;
        return liveness.proof(session, at).thenApply(ok -> {
            if (!ok) {
                throw new CompletionException(new ClusterQueryError("not sent: the ZooKeeper session that holds the write lock "
                        + "of table " + table + " ended, so the write may be being recovered by another router"));
            }
            return null;
        });
    }
}
