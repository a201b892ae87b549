package io.rayforce.cluster.router.exec;

import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import java.time.Duration;
import io.rayforce.cluster.client.ipc.ValueWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One query's state while it runs: the placement snapshot taken at its start, its deadline,
 * whether partial results are acceptable, its cancellation, the shards it could not read, and
 * its trace.
 */
public final class QueryContext {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final ClusterSnapshot snapshot;
    private final long deadlineNanos;
    private final Duration timeout;
    private final boolean allowPartial;
    private final Duration hedgeAfter;
    private final CompletableFuture<String> cancelled = new CompletableFuture<>();
    /** The limit that cancelled the query, when one did: every branch then fails with it, not a bare cancellation. */
    private volatile ResultLimitError limit;
    private final ConcurrentLinkedQueue<MissingShard> missing = new ConcurrentLinkedQueue<>();
    private final QueryTrace trace = new QueryTrace();
    private volatile ResultBudget shardAnswers;
    private volatile MemoryBudget memory = new MemoryBudget(MemoryBudget.defaultBytes());
    private volatile Map<String, Long> readVersions = Map.of();
    /** What each step brought from the shards: rows and bytes, by the step (a route). */
    private final Map<Object, long[]> moved = Collections.synchronizedMap(new IdentityHashMap<>());
    /** What each step sent from the router to the nodes: rows and bytes (a shuffle's partitions, a broadcast). */
    private final Map<Object, long[]> sent = Collections.synchronizedMap(new IdentityHashMap<>());
    /** The units sent to replicas and not answered yet (for {@code .cluster.queries}). */
    private final Map<UnitId, Boolean> pending = new ConcurrentHashMap<>();
    private volatile String temporaryTag;

    /** A query over {@code snapshot}; a zero or null timeout means none. */
    public QueryContext(ClusterSnapshot snapshot, Duration timeout, boolean allowPartial) {
        this(snapshot, timeout, allowPartial, null);
    }

    /** As above, hedging units that have not answered after {@code hedgeAfter} (null: never). */
    public QueryContext(ClusterSnapshot snapshot, Duration timeout, boolean allowPartial, Duration hedgeAfter) {
        this(snapshot, timeout, allowPartial, hedgeAfter, System.nanoTime());
    }

    /**
     * As above, for a query that started at {@code startNanos} ({@link System#nanoTime()}): its
     * deadline counts from then (time spent before, such as waiting for table locks, is part of it).
     */
    public QueryContext(ClusterSnapshot snapshot, Duration timeout, boolean allowPartial, Duration hedgeAfter, long startNanos) {
        this.hedgeAfter = hedgeAfter == null || hedgeAfter.isZero() ? null : hedgeAfter;
        this.snapshot = snapshot;
        this.timeout = timeout == null || timeout.isZero() ? null : timeout;
        this.deadlineNanos = this.timeout == null ? 0 : startNanos + this.timeout.toNanos();
        this.allowPartial = allowPartial;
    }

    public long id() {
        return id;
    }

    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    public long epoch() {
        return snapshot.epoch();
    }

    public boolean allowPartial() {
        return allowPartial;
    }

    /** After how long a unit is also sent to a second replica, or null. */
    public Duration hedgeAfter() {
        return hedgeAfter;
    }

    /** Milliseconds left before the deadline (at least 1), or 0 when there is no deadline. */
    public long remainingMillis() {
        if (deadlineNanos == 0) {
            return 0;
        }
        return Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    public boolean expired() {
        return deadlineNanos != 0 && System.nanoTime() >= deadlineNanos;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Cancels the query: shard work in flight is interrupted and the query fails with {@code reason}. */
    public void cancel(String reason) {
        cancelled.complete(reason);
    }

    public boolean isCancelled() {
        return cancelled.isDone();
    }

    /** Runs {@code action} when the query is cancelled (at once if it already is). */
    public void onCancel(Runnable action) {
        cancelled.thenRun(action);
    }

    /** Fails with the cancellation reason when the query was cancelled. */
    public void checkNotCancelled() {
        if (cancelled.isDone()) {
            throw cancellation();
        }
    }

    /** Cancels the query because it went past a limit: branches that see the cancellation fail with that limit. */
    private void limited(ResultLimitError e) {
        if (limit == null) {
            limit = e;
        }
        cancel(e.getMessage());
    }

    /**
     * The error a cancelled query fails with: the limit that cancelled it ({@code limit}, whichever
     * branch noticed first), else a {@link QueryCancelledError} with the reason.
     */
    public RuntimeException cancellation() {
        ResultLimitError l = limit;
        return l != null ? l : new QueryCancelledError(cancelled.getNow(null));
    }

    public String cancelReason() {
        return cancelled.getNow(null);
    }

    void recordMissing(MissingShard shard) {
        missing.add(shard);
    }

    /** The units no replica answered (only when partial results are allowed). */
    public List<MissingShard> missing() {
        return new ArrayList<>(missing);
    }

    public QueryTrace trace() {
        return trace;
    }

    /** Counts the shard answers that are the answer's own rows (plain selects) against {@code limits}. */
    public void limitResults(ResultLimits limits) {
        shardAnswers = limits.none() ? null : new ResultBudget(limits, "the shard answers of this query");
    }

    /**
     * Counts a shard answer whose rows are the answer's rows; past a limit the query is
     * cancelled (its other shard work stops) and fails with the {@link ResultLimitError}.
     */
    public void admitShardAnswer(RayValue answer) {
        ResultBudget b = shardAnswers;
        if (b != null) {
            try {
                b.admit(answer);
            } catch (ResultLimitError e) {
                limited(e);
                throw e;
            }
        }
    }

    /** The result or memory limit this query passed, or null. */
    public ResultLimitError resultLimitExceeded() {
        ResultBudget b = shardAnswers;
        ResultLimitError e = b == null ? null : b.exceeded();
        return e != null ? e : memory.exceeded();
    }

    /** Holds what the shards send this query to {@code bytes} at the router ({@link MemoryBudget}). */
    public void limitMemory(long bytes) {
        memory = new MemoryBudget(bytes);
    }

    /** The read versions of the tables this query holds leases of ({@code TableLock#versions}). */
    public void readVersions(Map<String, Long> versions) {
        readVersions = Map.copyOf(versions);
    }

    /** {@code table}'s read version for this query, or null when there is none (no lease: nothing may be reused). */
    public Long readVersion(String table) {
        return readVersions.get(table);
    }

    /**
     * A shard answer that came to {@code step} ({@code description} names it): counted against the
     * memory budget (past it the query is cancelled and fails with error {@code limit}) and in
     * what the step moved. Answers {@code answer}'s size, which the step may {@link #release}
     * once it no longer holds it (a chunk passed on).
     */
    public long admitToRouter(Object step, String description, RayValue answer) {
        long bytes = ValueWriter.sizeOf(answer);
        long rows = ResultLimits.rows(answer);
        add(moved, step, rows, bytes);
        ShardMeters.ROWS.increment(rows);
        ShardMeters.BYTES.increment(bytes);
        charge(bytes, description);
        return bytes;
    }

    /**
     * Charges {@code bytes} the router holds for {@code description} (besides shard answers: the
     * pieces a chunk is cut into) against the memory budget; past it the query is cancelled and
     * fails with error {@code limit}.
     */
    public void charge(long bytes, String description) {
        try {
            memory.charge(bytes, description);
        } catch (ResultLimitError e) {
            limited(e);
            throw e;
        }
    }

    /** Gives back {@code bytes} of the memory budget: the router no longer holds them. */
    public void release(long bytes) {
        memory.release(bytes);
    }

    /** Records that {@code step} sent {@code rows} rows in {@code bytes} bytes from the router to the nodes. */
    public void sentFromRouter(Object step, long rows, long bytes) {
        add(sent, step, rows, bytes);
    }

    private static void add(Map<Object, long[]> byStep, Object step, long rows, long bytes) {
        long[] m = byStep.computeIfAbsent(step, k -> new long[2]);
        synchronized (m) {
            m[0] += rows;
            m[1] += bytes;
        }
    }

    /** The rows and bytes every step of this query brought to the router. */
    public long[] movedTotal() {
        return total(moved);
    }

    /** The rows and bytes every step of this query sent from the router to the nodes. */
    public long[] sentTotal() {
        return total(sent);
    }

    private static long[] total(Map<Object, long[]> byStep) {
        long[] out = new long[2];
        synchronized (byStep) {
            for (long[] m : byStep.values()) {
                synchronized (m) {
                    out[0] += m[0];
                    out[1] += m[1];
                }
            }
        }
        return out;
    }

    /** The rows and bytes {@code step} sent from the router to the nodes in this query, or null when it sent none. */
    public long[] sent(Object step) {
        return of(sent, step);
    }

    private static long[] of(Map<Object, long[]> byStep, Object step) {
        long[] m = byStep.get(step);
        if (m == null) {
            return null;
        }
        synchronized (m) {
            return m.clone();
        }
    }

    /**
     * This query's random tag (16 hex digits), part of the names of the temporaries it keeps on
     * nodes ({@code ClusterNaming.temporaryGlobal}), so that no other query, of this router or
     * another, uses the same names.
     */
    public String temporaryTag() {
        String t = temporaryTag;
        if (t == null) {
            synchronized (this) {
                if (temporaryTag == null) {
                    temporaryTag = String.format("%016x", new java.security.SecureRandom().nextLong());
                }
                t = temporaryTag;
            }
        }
        return t;
    }

    void unitSent(UnitId unit) {
        pending.put(unit, Boolean.TRUE);
    }

    void unitDone(UnitId unit) {
        pending.remove(unit);
    }

    /** The units sent to replicas that have not answered yet. */
    public List<UnitId> pendingUnits() {
        return List.copyOf(pending.keySet());
    }

    /** The rows and bytes {@code step} brought to the router in this query, or null when it brought none. */
    public long[] moved(Object step) {
        return of(moved, step);
    }

    /** All the shards' answers this query held at the router, in bytes. */
    public long memoryUsed() {
        return memory.used();
    }

    /** The most of its memory budget this query held at once, in bytes. */
    public long memoryPeak() {
        return memory.peak();
    }

    /** This query's memory budget, in bytes. */
    public long memoryBudget() {
        return memory.limit();
    }
}
