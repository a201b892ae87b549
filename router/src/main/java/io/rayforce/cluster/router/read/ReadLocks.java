package io.rayforce.cluster.router.read;

import io.rayforce.cluster.coordinator.store.ReadLeases;
import io.rayforce.cluster.coordinator.store.TableLock;
import io.rayforce.cluster.coordinator.store.ZooKeeperUnavailableException;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.QueryTimeoutError;
import io.rayforce.cluster.router.services.ClusterServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The read side of atomic visibility (docs/architecture.md): a query holds the read locks of the
 * cluster tables it reads (in name order) while it reads shards, so it sees each write to them
 * whole or not at all. The router's reads share one lease of each table's read lock
 * ({@link ReadLeases}), given up whenever a writer asks for the table. A write in progress holds
 * its table's write lock, so a write intent found when a lease is taken belongs to a write whose
 * router died: the reader takes the table's write lock, recovers the intent (the write becomes
 * fully present or fully absent) and starts again. The wait for locks counts against the query's
 * timeout. The leases are held by the router's ZooKeeper session, so reads go on while its
 * connection is suspended; an answer counts once the session is proven alive at the moment it was
 * complete ({@link ReadLeases.Held#heldUntil}).
 */
public final class ReadLocks {
    /** Recoveries a read makes before it gives up. */
    private static final int MAX_RECOVERIES = 5;

    /** Finishes or undoes, under the table's write lock, the writes of a table whose routers died. */
    @FunctionalInterface
    public interface Recovery {
        void recoverAll(String table, QueryOptions options, String what);
    }

    /**
     * This router's write leases (docs/router.md, Write leases): a table whose lease this router
     * holds is read under the lease's gate, not ZooKeeper's read lock.
     */
    @FunctionalInterface
    public interface LocalLeases {
        /**
         * The read's hold of the table's lease, or null when this router holds none of it; held
         * while the session that holds the lease's write lock is alive.
         */
        ReadLeases.Held joinIfHeld(String table, long deadlineNanos) throws TimeoutException;
    }

    /** How long reads wait for their locks when the query sets no timeout. */
    public static final Duration NO_TIMEOUT_BOUND = Duration.ofMinutes(5);

    private final Supplier<ClusterServices> services;
    private final Recovery recovery;
    private final LocalLeases local;
    /** The tables whose write lock this thread holds (a write reading its own table, e.g. an update's aggregates). */
    private final ThreadLocal<Set<String>> writing = ThreadLocal.withInitial(HashSet::new);

    /**
     * While the returned hold is open, reads on this thread of {@code table}, whose write lock the
     * thread holds, take no read lock of it (they would wait for the thread itself): they see the
     * table as the write found it, since no other write can change it meanwhile.
     */
    public TableLock writing(String table) {
        Set<String> tables = writing.get();
        if (!tables.add(table)) {
            return () -> { };
        }
        return () -> tables.remove(table);
    }

    /** @param services the cluster services, or null from the supplier when the router has no ZooKeeper */
    public ReadLocks(Supplier<ClusterServices> services, Recovery recovery) {
        this(services, recovery, (t, d) -> null);
    }

    /** @param local this router's write leases, whose tables its reads read under the lease */
    public ReadLocks(Supplier<ClusterServices> services, Recovery recovery, LocalLeases local) {
        this.services = services;
        this.recovery = recovery;
        this.local = local;
    }

    /**
     * Takes the read locks of {@code tables} for a query whose timeout is {@code timeout} (null
     * or zero: none, then the locks are waited for at most {@link #NO_TIMEOUT_BOUND}).
     * Without tables, or without ZooKeeper (a fixed placement), nothing is taken.
     *
     * @throws QueryTimeoutError naming the table when a write kept it past the timeout
     */
    public ReadLeases.Held lock(Collection<String> tables, Duration timeout) {
        if (tables.isEmpty()) {
            return ReadLeases.NOTHING;
        }
        ClusterServices services = this.services.get();
        if (services == null) {
            return ReadLeases.NOTHING;
        }
        if (!writing.get().isEmpty()) {
            tables = new TreeSet<>(tables);
            tables.removeAll(writing.get());
            if (tables.isEmpty()) {
                return ReadLeases.NOTHING;
            }
        }
        Duration budget = timeout == null || timeout.isZero() ? NO_TIMEOUT_BOUND : timeout;
        long deadline = System.nanoTime() + budget.toNanos();
        TreeSet<String> ordered = new TreeSet<>(tables);
        for (int round = 0; ; round++) {
            List<ReadLeases.Held> held = new ArrayList<>();
            try {
                TreeSet<String> rest = new TreeSet<>();
                for (String t : ordered) {
                    ReadLeases.Held joined = local.joinIfHeld(t, deadline);
                    if (joined != null) {
                        held.add(joined);
                    } else {
                        rest.add(t);
                    }
                }
                if (!rest.isEmpty()) {
                    held.add(services.readLeases().readAll(rest, left(deadline)));
                }
                return held.size() == 1 ? held.get(0) : ReadLeases.Held.all(held);
            } catch (ReadLeases.DivertedException e) {
                TableLock.closeAll(List.copyOf(held));
                round--; // this router took the table's write lease meanwhile: read under it
                if (System.nanoTime() > deadline) {
                    throw timeout(budget, new TimeoutException("could not take the read lock of table " + e.table()));
                }
            } catch (TimeoutException e) {
                TableLock.closeAll(List.copyOf(held));
                throw timeout(budget, e);
            } catch (RuntimeException e) {
                TableLock.closeAll(List.copyOf(held));
                throw e;
            } catch (ReadLeases.NotAdmissibleException e) {
                TableLock.closeAll(List.copyOf(held));
                if (round == MAX_RECOVERIES) {
                    throw new ClusterQueryError("reading table " + e.table() + ": it still has an unfinished write after "
                            + MAX_RECOVERIES + " recoveries");
                }
                recover(services, e.table(), deadline, budget);
            }
        }
    }

    /** Under the table's write lock, resolves the intents of writers that died. */
    private void recover(ClusterServices services, String table, long deadline, Duration budget) {
        String what = "reading table " + table + " (recovering a write whose router died)";
        TableLock write;
        try {
            write = services.writeFence().lock(table, left(deadline));
        } catch (TimeoutException e) {
            throw timeout(budget, e);
        } catch (ZooKeeperUnavailableException e) {
            throw new ClusterQueryError(what + ": " + e.getMessage(), e);
        }
        try (write) {
            recovery.recoverAll(table, new QueryOptions(left(deadline), false), what);
        }
    }

    /** The query's timeout error naming the table, or, when the thread was interrupted (a cancel), that. */
    private static ClusterQueryError timeout(Duration budget, TimeoutException e) {
        if (Thread.currentThread().isInterrupted()) {
            return new ClusterQueryError(e.getMessage());
        }
        return new QueryTimeoutError(budget, e.getMessage());
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }
}
