package io.rayforce.cluster.coordinator.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long this client's ZooKeeper session is certainly alive, so that what it holds through its
 * ephemeral znodes (read leases, write locks, an intent's owner) can be relied on while the
 * connection is suspended (an ensemble electing a leader, a short outage), and no longer than
 * that.
 *
 * <p>A request ZooKeeper answered proves that the ensemble touched the session after the request
 * was sent, so the session cannot expire before that moment plus its timeout T. A heartbeat (an
 * {@code exists} of the root on the session's own handle) every T/6 keeps such a proof fresh; the
 * session counts as alive until 2T/3 after the latest answered heartbeat was sent, the share of T
 * the ZooKeeper client itself waits for a silent server before it calls the connection lost. The
 * last third is left for the ensemble's own lag (a follower reports the sessions it heard from to
 * the leader on its pings) and for requests still travelling. A session that expired never comes
 * back, so a proof of session s at time t also says s was alive at every moment before t.
 *
 * <p>Callers ask whether a session is alive at a moment ({@link #provenAlive}), or wait for a
 * heartbeat that proves it ({@link #proof}); a proof of another session, or Curator reporting the
 * session lost, answers no.
 */
public final class SessionLiveness implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionLiveness.class);
    private static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** The pause after a heartbeat that failed (ZooKeeper unreachable), so waiters do not spin. */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Session {@code session} was alive when a heartbeat sent at {@code sentAt} (nanoTime) reached the ensemble. */
    private record Proof(long session, long sentAt) {
    }

    private record Waiter(long session, long atNanos, CompletableFuture<Boolean> done) {
    }

    private final CuratorFramework curator;
    private final ScheduledExecutorService timer;
    private final ConnectionStateListener listener = (client, state) -> stateChanged(state);
    private final List<Waiter> waiters = new ArrayList<>();
    private volatile Proof proof = new Proof(0, 0);
    private volatile long timeoutNanos;
    /** Guarded by {@code waiters}. */
    private boolean beating;
    private volatile boolean closed;

    private SessionLiveness(CuratorFramework curator) {
        this.curator = curator;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(curator.getZookeeperClient().getConnectionTimeoutMs());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "zookeeper-session-liveness");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the heartbeats of {@code curator}'s session. */
    public static SessionLiveness start(CuratorFramework curator) {
        SessionLiveness s = new SessionLiveness(curator);
        curator.getConnectionStateListenable().addListener(s.listener);
        s.schedule(0);
        return s;
    }

    /** The id of the client's current session, as last seen (0 before it first connected). */
    public long sessionId() {
        return proof.session();
    }

    /** The session timeout the ensemble granted (the requested one until it was first answered). */
    public Duration sessionTimeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    /** How long after a heartbeat was sent it proves the session alive: 2/3 of the session timeout. */
    public Duration window() {
        return Duration.ofNanos(windowNanos());
    }

    /** Whether session {@code session} is proven alive now (and so cannot have expired before now + T/3). */
    public boolean provenAlive(long session) {
        return provenAt(session, System.nanoTime());
    }

    /**
     * Completes with true once session {@code session} is proven alive at the moment
     * {@code atNanos} ({@link System#nanoTime()}): at once when a heartbeat of it answered already
     * does, else with the next heartbeat that does; with false when the session ended (another
     * session answered a heartbeat, or Curator reported it lost) or this is closed.
     */
    public CompletableFuture<Boolean> proof(long session, long atNanos) {
        if (provenAt(session, atNanos)) {
            return CompletableFuture.completedFuture(true);
        }
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        synchronized (waiters) {
            if (closed || session == 0) {
                return CompletableFuture.completedFuture(false);
            }
            waiters.add(new Waiter(session, atNanos, done));
            if (!beating) {
                schedule(0);
            }
        }
        resolve();
        return done;
    }

    /**
     * Waits until session {@code session} is proven alive at {@code atNanos}, at most until
     * {@code deadlineNanos}; false when the session ended or the wait ran out.
     */
    public boolean awaitProof(long session, long atNanos, long deadlineNanos) throws InterruptedException {
        CompletableFuture<Boolean> f = proof(session, atNanos);
        try {
            return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.complete(false);
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    /**
     * Waits until ZooKeeper answers a heartbeat sent after this call (in whatever session), at
     * most until {@code deadlineNanos}: ZooKeeper is reachable now, not only a moment ago. False
     * when it did not answer in time.
     */
    public boolean awaitAnswer(long deadlineNanos) throws InterruptedException {
        long from = System.nanoTime();
        while (deadlineNanos - System.nanoTime() > 0) {
            long session = sessionId();
            if (session == 0) {
                Thread.sleep(10);
                continue;
            }
            if (awaitProof(session, from + windowNanos(), deadlineNanos)) {
                return true;
            }
            if (sessionId() == session) {
                return false; // no answer in time
            }
            // another session answered: ask again in it
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        curator.getConnectionStateListenable().removeListener(listener);
        timer.shutdownNow();
        List<Waiter> left;
        synchronized (waiters) {
            left = new ArrayList<>(waiters);
            waiters.clear();
        }
        left.forEach(w -> w.done().complete(false));
    }

    // -----------------------------------------------------------------------------------------

    private long windowNanos() {
        return timeoutNanos * 2 / 3;
    }

    private boolean provenAt(long session, long atNanos) {
        Proof p = proof;
        return session != 0 && p.session() == session && atNanos - p.sentAt() <= windowNanos();
    }

    private void stateChanged(ConnectionState state) {
        if (state == ConnectionState.LOST) {
            long lost = proof.session();
            log.info("ZooKeeper session 0x{} lost", Long.toHexString(lost));
            endSession(lost);
        } else if (state.isConnected()) {
            synchronized (waiters) {
                if (!beating) {
                    schedule(0);
                }
            }
        }
    }

    private void schedule(long delayNanos) {
        synchronized (waiters) {
            if (closed) {
                return;
            }
            beating = true;
            try {
                timer.schedule(this::beat, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                beating = false; // closed
            }
        }
    }

    /** On the timer: one heartbeat on the session's own handle; the next is scheduled when it is answered. */
    private void beat() {
        ZooKeeper zk;
        try {
            zk = curator.getZookeeperClient().getZooKeeper();
        } catch (Exception e) {
            log.debug("no ZooKeeper handle for a heartbeat: {}", e.toString());
            next(false);
            return;
        }
        long sent = System.nanoTime();
        try {
            zk.exists("/", false, (rc, path, ctx, stat) -> answered(zk, rc, sent), null);
        } catch (RuntimeException e) {
            next(false);
        }
    }

    /** On ZooKeeper's event thread: records the proof (or the session's end) and hands the rest to the timer. */
    private void answered(ZooKeeper zk, int rc, long sent) {
        KeeperException.Code code = KeeperException.Code.get(rc);
        boolean ok = code == KeeperException.Code.OK || code == KeeperException.Code.NONODE;
        if (ok) {
            long session = zk.getSessionId();
            timeoutNanos = TimeUnit.MILLISECONDS.toNanos(zk.getSessionTimeout());
            Proof p = proof;
            if (p.session() != session || sent - p.sentAt() > 0) {
                proof = new Proof(session, sent);
            }
            if (p.session() != 0 && p.session() != session) {
                endSession(p.session());
            }
        } else if (code == KeeperException.Code.SESSIONEXPIRED) {
            endSession(zk.getSessionId());
        }
        try {
            timer.execute(() -> next(ok));
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void next(boolean ok) {
        resolve();
        synchronized (waiters) {
            beating = false;
            long interval = Math.max(MIN_INTERVAL_NANOS, Math.min(MAX_INTERVAL_NANOS, timeoutNanos / 6));
            schedule(waiters.isEmpty() ? interval : ok ? 0 : RETRY_NANOS);
        }
    }

    /** Answers the waiters of a session that ended: no. */
    private void endSession(long session) {
        List<Waiter> ended = new ArrayList<>();
        synchronized (waiters) {
            waiters.removeIf(w -> {
                if (w.session() == session) {
                    ended.add(w);
                    return true;
                }
                return false;
            });
        }
        ended.forEach(w -> w.done().complete(false));
    }

    /** Answers the waiters the latest proof satisfies, and those whose session is no longer the current one. */
    private void resolve() {
        List<Waiter> yes = new ArrayList<>();
        List<Waiter> no = new ArrayList<>();
        synchronized (waiters) {
            waiters.removeIf(w -> {
                if (w.done().isDone()) {
                    return true;
                }
                if (provenAt(w.session(), w.atNanos())) {
                    yes.add(w);
                    return true;
                }
                Proof p = proof;
                if (p.session() != 0 && p.session() != w.session()) {
                    no.add(w);
                    return true;
                }
                return false;
            });
        }
        yes.forEach(w -> w.done().complete(true));
        no.forEach(w -> w.done().complete(false));
    }
}
