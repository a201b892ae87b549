package io.rayforce.cluster.coordinator.store;

import io.rayforce.cluster.coordinator.meta.ZkPaths;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read locks of {@link TableLocks}, held as leases: one process takes a table's ZooKeeper read
 * lock once and lets any number of its reads share it, until a writer asks for the table. Then
 * it grants no more reads, lets go of the lock when its reads in progress are done, and takes it
 * again (behind the writer, as the lock is fair) for the reads that came meanwhile. A read costs
 * a local lock instead of a lock znode created and deleted in ZooKeeper, and the cluster's
 * ZooKeeper carries no write per read. The exclusion is the same: while a lease is held no writer
 * holds the table, and a writer waits only for the reads already running.
 *
 * <p>A writer is seen by a watch on the lock's children (Curator's write lock nodes are named
 * {@code __WRIT__}). The watch outlives a lost connection (ZooKeeper sets it again on reconnecting
 * and fires it if the children changed meanwhile); when it cannot be set for want of a connection
 * it is set again every {@value #RETRY_PAUSE_MS} ms, so a writer that came meanwhile is seen once
 * ZooKeeper answers. A lease is held by this client's ZooKeeper session (its lock node is
 * ephemeral), so it stays good while the connection is only suspended: a writer can take the
 * table only once the session has expired. Reads are therefore granted while the connection is
 * suspended (an ensemble electing a leader, a short outage), and a read's answer counts only once
 * the session is proven alive at the moment the answer was complete ({@link Held#heldUntil},
 * {@link SessionLiveness}): then the lock node was there during every request the read made.
 * When the session is lost, every lease is let go. Each time a lease is taken, {@code admissible} is asked about
 * the table (e.g. it has no unfinished write); a table that is not gets its lease let go and its
 * waiting readers a {@link NotAdmissibleException}, so they can repair it and try again.
 * When ZooKeeper cannot be asked (e.g. while its ensemble elects a leader), taking a lease is
 * tried again every {@value #RETRY_PAUSE_MS} ms until the waiting reads' deadlines: a read
 * waits out a short outage, and one that times out names what ZooKeeper answered last.
 * Curator's locks belong to a thread, so each table's lock is taken and let go on a thread of
 * its own, which ends when the lease is let go and no read waits for it.
 */
public final class ReadLeases implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReadLeases.class);
    /** Part of the names of Curator's write lock nodes ({@link InterProcessReadWriteLock}). */
    private static final String WRITE_NODE = "__WRIT__";
    /** The pause before a lease that ZooKeeper failed to give is asked for again, or its watch set again. */
    private static final long RETRY_PAUSE_MS = 100;

    /** The table was found not admissible when its lease was taken; the lease was let go again. */
    public static class NotAdmissibleException extends Exception {
        private final String table;

        NotAdmissibleException(String table) {
            this(table, "table " + table + " is not readable as it is (an unfinished write)");
        }

        NotAdmissibleException(String table, String message) {
            super(message);
            this.table = table;
        }

        public String table() {
            return table;
        }
    }

    /**
     * This process took the table's write lock as a lease and serves its own reads of it (a
     * router's write lease, docs/router.md): read leases of it are not taken meanwhile, and reads
     * waiting for one are sent back, so they can read under the write lease instead.
     */
    public static final class DivertedException extends NotAdmissibleException {
        DivertedException(String table) {
            super(table, "table " + table + " is read under this process's write lease");
        }
    }

    /**
     * The read leases a query holds: each was taken by a ZooKeeper session, which must still be
     * alive at the moment the query's answer was complete for the answer to count.
     */
    public interface Held extends TableLock {
        /**
         * Whether every lease was held until {@code atNanos} ({@link System#nanoTime()}): the
         * sessions that took them are proven alive at that moment, waiting for a heartbeat until
         * {@code deadlineNanos} when needed (ZooKeeper unreachable for a while). False when a
         * session ended (the answer may have overlapped a write) or the wait ran out.
         */
        boolean heldUntil(long atNanos, long deadlineNanos) throws InterruptedException;

        /** {@code held} as one: let go together (the last taken first), held while each is, with all their read versions. */
        static Held all(List<? extends Held> held) {
            List<Held> each = List.copyOf(held);
            TableLock lock = TableLock.all(List.copyOf(held));
            return new Held() {
                @Override
                public boolean heldUntil(long atNanos, long deadlineNanos) throws InterruptedException {
                    for (Held h : each) {
                        if (!h.heldUntil(atNanos, deadlineNanos)) {
                            return false;
                        }
                    }
                    return true;
                }

                @Override
                public void close() {
                    lock.close();
                }

                @Override
                public Map<String, Long> versions() {
                    return lock.versions();
                }
            };
        }
    }

    /** Holds nothing: always held. */
    public static final Held NOTHING = new Held() {
        @Override
        public boolean heldUntil(long atNanos, long deadlineNanos) {
            return true;
        }

        @Override
        public void close() {
        }
    };

    private final CuratorFramework curator;
    private final SessionLiveness liveness;
    private final boolean ownLiveness;
    private final Predicate<String> admissible;
    private final Set<String> diverted = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Lease> leases = new ConcurrentHashMap<>();
    private final ConnectionStateListener connection = (client, state) -> {
        if (state == ConnectionState.LOST) {
            leases.values().forEach(Lease::revoke);
        }
    };
    private volatile boolean closed;

    /** Leases taken by {@code curator}'s session, whose liveness {@code liveness} follows. */
    public ReadLeases(CuratorFramework curator, SessionLiveness liveness, Predicate<String> admissible) {
        this(curator, liveness, false, admissible);
    }

    /** As above, following the session's liveness itself. */
    public ReadLeases(CuratorFramework curator, Predicate<String> admissible) {
        this(curator, SessionLiveness.start(curator), true, admissible);
    }

    private ReadLeases(CuratorFramework curator, SessionLiveness liveness, boolean ownLiveness, Predicate<String> admissible) {
        this.curator = curator;
        this.liveness = liveness;
        this.ownLiveness = ownLiveness;
        this.admissible = admissible;
        curator.getConnectionStateListenable().addListener(connection);
    }

    /**
     * Takes read leases of {@code tables} in name order (duplicates once), waiting at most
     * {@code timeout} in all; on failure none is held.
     *
     * @throws TimeoutException naming the table whose writer kept it too long, or what ZooKeeper
     *         answered last when it could not be asked in time
     * @throws NotAdmissibleException naming the table found not admissible
     */
    public Held readAll(Collection<String> tables, Duration timeout) throws TimeoutException, NotAdmissibleException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<TableLock> held = new ArrayList<>();
        Set<Long> sessions = new TreeSet<>();
        Map<String, Long> versions = new HashMap<>();
        try {
            for (String table : new TreeSet<>(tables)) {
                Grant g = lease(table).acquire(deadline, timeout);
                held.add(g.lock());
                sessions.add(g.session());
                versions.putAll(g.lock().versions());
            }
        } catch (TimeoutException | NotAdmissibleException | RuntimeException e) {
            TableLock.closeAll(held);
            throw e;
        }
        AtomicBoolean open = new AtomicBoolean(true);
        Map<String, Long> all = Map.copyOf(versions);
        return new Held() {
            @Override
            public boolean heldUntil(long atNanos, long deadlineNanos) throws InterruptedException {
                for (long session : sessions) {
                    if (!liveness.awaitProof(session, atNanos, deadlineNanos)) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public void close() {
                if (open.compareAndSet(true, false)) {
                    TableLock.closeAll(held);
                }
            }

            @Override
            public Map<String, Long> versions() {
                return all;
            }
        };
    }

    /**
     * From now on reads of {@code table} are refused with {@link DivertedException}, including the
     * ones waiting for its lease now, until {@link #undivert}: this process holds the table's write
     * lock as a lease and serves its own reads under it.
     */
    public void divert(String table) {
        diverted.add(table);
        Lease l = leases.get(table);
        if (l != null) {
            l.divertWaiting();
        }
    }

    /** Reads of {@code table} take read leases again. */
    public void undivert(String table) {
        diverted.remove(table);
    }

    /**
     * A new read version of {@code table} ({@link TableLock#versions()}) for the reads this process
     * serves under its own write lease of it ({@link #divert}): each state of the table those reads
     * may see gets one. Drawn from the same numbers as the versions of the table's read leases, so
     * no two states of the table this process read ever share a version.
     */
    public long nextVersion(String table) {
        Lease l = lease(table);
        synchronized (l) {
            return ++l.version;
        }
    }

    /** The liveness of the session the leases are taken by. */
    public SessionLiveness liveness() {
        return liveness;
    }

    /** How many of this process's reads hold {@code table}'s lease now (for tests and status). */
    public int readsHolding(String table) {
        Lease l = leases.get(table);
        if (l == null) {
            return 0;
        }
        synchronized (l) {
            return l.inFlight;
        }
    }

    /** Lets go of every lease once the reads holding it are done; their threads end then. */
    @Override
    public void close() {
        closed = true;
        curator.getConnectionStateListenable().removeListener(connection);
        leases.values().forEach(Lease::revoke);
        if (ownLiveness) {
            liveness.close();
        }
    }

    private Lease lease(String table) {
        if (closed) {
            throw new IllegalStateException("read leases are closed");
        }
        return leases.computeIfAbsent(table, Lease::new);
    }

    private enum State { NONE, ACQUIRING, HELD, RELEASING }

    /** What a waiting read was told. */
    private enum Outcome { GRANTED, NOT_ADMISSIBLE, DIVERTED }

    private static final class Ticket {
        Outcome outcome;
        /** The read version of the lease granted (with {@link Outcome#GRANTED}). */
        long version;
    }

    /** A read let into a lease, and the session that holds the lease. */
    private record Grant(TableLock lock, long session) {
    }

    /** One table's lease. Its fields are guarded by the lease itself; {@link #mutex} is used on {@link #thread} only. */
    private final class Lease {
        final String table;
        final String path;
        /** Takes and lets go of the lock; there while the lease is taken, held or let go, or reads wait. */
        ExecutorService thread;
        final ArrayDeque<Ticket> waiting = new ArrayDeque<>();
        State state = State.NONE;
        boolean revoking;
        int inFlight;
        /** Counts the times the lease was taken, so a watch set for an earlier one is ignored. */
        long generation;
        /**
         * The last read version given: to a lease when it was taken, or to a state of the table
         * this process's own write lease committed ({@link #nextVersion}). Never given twice.
         */
        long version;
        /** The read version of the lease held now. */
        long heldVersion;
        /** The latest deadline of the readers waiting when the lease was last asked for. */
        long acquireDeadline;
        /** Why ZooKeeper last failed to give the lease (cleared when it is given), for the timeout's message. */
        Exception lastFailure;
        InterProcessMutex mutex;
        /** The ZooKeeper session whose lock node this lease is, while it is held. */
        long session;

        Lease(String table) {
            this.table = table;
            this.path = ZkPaths.tableLock(table);
        }

        Grant acquire(long deadline, Duration timeout) throws TimeoutException, NotAdmissibleException {
            Ticket t = new Ticket();
            synchronized (this) {
                if (diverted.contains(table)) {
                    throw new DivertedException(table);
                }
                if (state == State.HELD && !revoking && !closed) {
                    if (session == liveness.sessionId()) {
                        inFlight++;
                        return new Grant(handle(heldVersion), session);
                    }
                    revoke(); // its session ended: its lock node went with it
                }
                waiting.add(t);
                try {
                    while (t.outcome == null) {
                        if (state == State.NONE) {
                            startAcquire(deadline);
                        }
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            waiting.remove(t);
                            throw new TimeoutException("could not take the read lock of table " + table + " within "
                                    + timeout.toMillis() + " ms (" + (lastFailure == null ? "a write to it is in progress"
                                    : "ZooKeeper: " + lastFailure.getMessage()) + ")");
                        }
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    }
                } catch (InterruptedException e) {
                    waiting.remove(t);
                    if (t.outcome == Outcome.GRANTED) {
                        done();
                    }
                    Thread.currentThread().interrupt();
                    throw new TimeoutException("interrupted while waiting for the read lock of table " + table);
                }
            }
            if (t.outcome == Outcome.NOT_ADMISSIBLE) {
                throw new NotAdmissibleException(table);
            }
            if (t.outcome == Outcome.DIVERTED) {
                throw new DivertedException(table);
            }
            synchronized (this) {
                return new Grant(handle(t.version), session);
            }
        }

        /** Sends the reads waiting for this lease back ({@link DivertedException}). */
        synchronized void divertWaiting() {
            for (Ticket t : waiting) {
                t.outcome = Outcome.DIVERTED;
            }
            waiting.clear();
            notifyAll();
        }

        /** A read's hold on the lease whose read version is {@code version}. */
        private TableLock handle(long version) {
            AtomicBoolean open = new AtomicBoolean(true);
            Map<String, Long> versions = Map.of(table, version);
            return new TableLock() {
                @Override
                public void close() {
                    if (open.compareAndSet(true, false)) {
                        synchronized (Lease.this) {
                            done();
                        }
                    }
                }

                @Override
                public Map<String, Long> versions() {
                    return versions;
                }
            };
        }

        /** A read let go (holding the monitor). */
        private void done() {
            inFlight--;
            if (revoking && inFlight == 0 && state == State.HELD) {
                startRelease();
            }
        }

        /** A writer waits, the connection is in doubt, or the leases close: no more reads; let go once idle. */
        synchronized void revoke() {
            if (state != State.HELD || revoking) {
                return;
            }
            revoking = true;
            if (inFlight == 0) {
                startRelease();
            }
        }

        private void startAcquire(long deadline) {
            state = State.ACQUIRING;
            acquireDeadline = deadline;
            if (thread == null) {
                thread = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "read-lease-" + table);
                    t.setDaemon(true);
                    return t;
                });
            }
            thread.execute(this::takeLock);
        }

        /** Back to no lease (holding the monitor): the thread ends unless reads wait. */
        private void none() {
            state = State.NONE;
            revoking = false;
            if (waiting.isEmpty() && thread != null) {
                thread.shutdown();
                thread = null;
            }
            notifyAll();
        }

        private void startRelease() {
            state = State.RELEASING;
            thread.execute(this::letGo);
        }

        /** On {@link #thread}: takes the ZooKeeper read lock, asks whether the table is admissible, grants the waiting reads. */
        private void takeLock() {
            long deadline;
            synchronized (this) {
                deadline = acquireDeadline;
            }
            boolean taken = false;
            boolean admitted = true;
            Exception failure = null;
            long by = liveness.sessionId();
            try {
                if (mutex == null) {
                    mutex = new InterProcessReadWriteLock(curator, path).readLock();
                }
                if (by == 0) {
                    throw new IllegalStateException("no ZooKeeper session yet");
                }
                taken = mutex.acquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (taken && liveness.sessionId() != by) {
                    // the session changed while the lock was taken: whose lock node this is cannot be said
                    throw new IllegalStateException("the ZooKeeper session changed while the read lock was taken");
                }
                if (taken && !admissible.test(table)) {
                    admitted = false;
                    taken = false;
                    mutex.release();
                }
            } catch (Exception e) {
                failure = e;
                if (taken) {
                    taken = false;
                    releaseQuietly();
                }
                log.debug("taking the read lock of table {} failed (asked again until the reads' deadlines): {}", table,
                        e.toString());
                try {
                    Thread.sleep(RETRY_PAUSE_MS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
            long gen;
            synchronized (this) {
                lastFailure = failure;
                if (taken) {
                    state = State.HELD;
                    session = by;
                    revoking = closed;
                    gen = ++generation;
                    heldVersion = ++version;
                    for (Ticket t : waiting) {
                        t.outcome = Outcome.GRANTED;
                        t.version = heldVersion;
                    }
                    inFlight += waiting.size();
                    waiting.clear();
                    if (revoking && inFlight == 0) {
                        startRelease();
                    }
                } else {
                    gen = -1;
                    if (!admitted) {
                        for (Ticket t : waiting) {
                            t.outcome = Outcome.NOT_ADMISSIBLE;
                        }
                        waiting.clear();
                    }
                    none();
                }
                notifyAll();
            }
            if (gen >= 0) {
                watchForWriters(gen);
            }
        }

        /** On {@link #thread}: lets go of the ZooKeeper lock; reads that came meanwhile ask for it again. */
        private void letGo() {
            releaseQuietly();
            synchronized (this) {
                none();
            }
        }

        private void releaseQuietly() {
            try {
                mutex.release();
            } catch (Exception e) {
                // Curator keeps deleting the lock node in the background until it is gone
                log.debug("letting go of the read lock of table {}: {}", table, e.toString());
            }
        }

        /** On {@link #thread}: revokes the lease when a writer's node is among the lock's children, else watches them. */
        private void watchForWriters(long gen) {
            synchronized (this) {
                if (generation != gen || state != State.HELD || revoking) {
                    return;
                }
            }
            try {
                CuratorWatcher again = event -> {
                    // a change of the connection's state leaves the watch set (ZooKeeper sets it again on
                    // reconnecting, and fires it if the children changed meanwhile); a lost session
                    // revokes the lease on its own
                    if (event.getType() != Watcher.Event.EventType.None) {
                        watchAgain(gen);
                    }
                };
                List<String> children = curator.getChildren().usingWatcher(again).forPath(path);
                if (children.stream().anyMatch(c -> c.contains(WRITE_NODE))) {
                    revoke();
                }
            } catch (KeeperException.ConnectionLossException | KeeperException.OperationTimeoutException e) {
                // ZooKeeper away: a writer that comes meanwhile waits for this session's lock node (reads stay
                // right while it lives, see the class comment) and is seen by the next try once ZooKeeper answers
                log.debug("watching the lock of table {} failed, trying again: {}", table, e.toString());
                pauseThenWatch(gen);
            } catch (Exception e) {
                // without the watch a writer could wait unseen: let go
                log.debug("watching the lock of table {} failed, letting go: {}", table, e.toString());
                revoke();
            }
        }

        /** On {@link #thread}: watches lease number {@code gen} again after {@link #RETRY_PAUSE_MS}. */
        private void pauseThenWatch(long gen) {
            try {
                Thread.sleep(RETRY_PAUSE_MS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
            watchAgain(gen);
        }

        /** Looks at the lock's children again on {@link #thread}, while lease number {@code gen} is held. */
        private synchronized void watchAgain(long gen) {
            if (generation == gen && state == State.HELD && thread != null) {
                thread.execute(() -> watchForWriters(gen));
            }
        }
    }
}
