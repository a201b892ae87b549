package io.rayforce.cluster.router.ops;

import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.exec.QueryMdc;
import io.rayforce.cluster.router.exec.QueryTrace;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The queries of one router: those running now ({@code .cluster.queries}, {@code .cluster.cancel})
 * and the last {@value #SLOW_KEPT} that took longer than the slow-query threshold
 * ({@code .cluster.slowlog}; logged at INFO too). A query is begun and ended on the thread that
 * runs it; meanwhile it is that thread's {@link #current()} query and its id is in the logging
 * context ({@link QueryMdc}), so every log line of the query carries it. Ending a query records
 * its meters ({@link QueryMeters}).
 */
public final class QueryLog {
    private static final Logger log = LoggerFactory.getLogger(QueryLog.class);
    /** The default slow-query threshold. */
    public static final Duration DEFAULT_SLOW_AFTER = Duration.ofSeconds(1);
    /** How many slow queries are kept. */
    public static final int SLOW_KEPT = 100;
    /** The longest query text kept. */
    static final int MAX_TEXT = 4096;

    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, RunningQuery> running = new ConcurrentHashMap<>();
    private final Deque<SlowQuery> slow = new ArrayDeque<>();
    private final ThreadLocal<RunningQuery> current = new ThreadLocal<>();
    private final QueryMeters meters = new QueryMeters();
    private volatile Duration slowAfter = DEFAULT_SLOW_AFTER;

    /** Queries that take longer than {@code threshold} go to the slow log (zero: every query). */
    public void slowAfter(Duration threshold) {
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("the slow-query threshold must not be negative: " + threshold);
        }
        slowAfter = threshold;
    }

    public Duration slowAfter() {
        return slowAfter;
    }

    /**
     * A query starts on this thread.
     *
     * @param canceller cancels it (see {@link RunningQuery#cancel}); null to cancel its shard work directly
     */
    public RunningQuery begin(String user, boolean readOnly, String text, Predicate<String> canceller) {
        String t = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + " ..." : text;
        RunningQuery q = new RunningQuery(ids.incrementAndGet(), user, readOnly, t, canceller);
        running.put(q.id(), q);
        current.set(q);
        MDC.put(QueryMdc.KEY, Long.toString(q.id()));
        meters.started(q.user());
        log.debug("query {} from {}: {}", q.id(), QueryMeters.label(q.user()), t);
        return q;
    }

    /** A read of the query running on this thread (if any) waited {@code nanos} for its tables' read locks. */
    public void waitedForLocks(long nanos) {
        meters.waitedForLocks(nanos);
        RunningQuery q = current.get();
        if (q != null) {
            q.waitedForLocks(nanos);
        }
    }

    /** The query running on this thread, or null. */
    public RunningQuery current() {
        return current.get();
    }

    /**
     * The query has been answered, with {@code outcome} ({@code ok} or the error code) and an
     * answer of {@code rows} rows. Call it on the thread that began it.
     */
    public void end(RunningQuery q, String outcome, long rows) {
        long nanos = q.elapsedNanos();
        running.remove(q.id());
        boolean isSlow = nanos >= slowAfter.toNanos();
        meters.finished(q.user(), q.operator(), outcome, nanos, rows, isSlow);
        long millis = nanos / 1_000_000;
        if (isSlow) {
            SlowQuery s = slowQuery(q, outcome, rows, millis);
            synchronized (slow) {
                slow.addFirst(s);
                while (slow.size() > SLOW_KEPT) {
                    slow.removeLast();
                }
            }
            log.info("slow query {} from {} took {} ms ({}, {} rows, {} shard requests): {}", q.id(),
                    QueryMeters.label(q.user()), millis, outcome, rows, s.shardRequests(), q.text());
        } else {
            log.debug("query {} took {} ms ({}, {} rows)", q.id(), millis, outcome, rows);
        }
        if (current.get() == q) {
            current.remove();
        }
        MDC.remove(QueryMdc.KEY);
    }

    private static SlowQuery slowQuery(RunningQuery q, String outcome, long rows, long millis) {
        QueryContext ctx = q.context();
        List<QueryTrace.Attempt> attempts = ctx == null ? List.of() : ctx.trace().attempts();
        long slowest = attempts.stream().mapToLong(QueryTrace.Attempt::micros).max().orElse(0) / 1000;
        String plan = q.plan() == null ? q.operator() : PlanText.ran(q.plan(), ctx);
        if (q.isStatement() && q.plan() != null) {
            plan = q.operator() + ", its last read:\n  " + plan.replace("\n", "\n  ");
        }
        return new SlowQuery(q.id(), q.user(), q.text(), q.startedAt(), millis, outcome, rows, q.lockWaitNanos() / 1_000_000,
                attempts.size(), slowest, plan);
    }

    /** The queries running now, oldest first. */
    public List<RunningQuery> running() {
        List<RunningQuery> out = new ArrayList<>(running.values());
        out.sort(Comparator.comparingLong(RunningQuery::id));
        return out;
    }

    /** The running query with this id. */
    public Optional<RunningQuery> find(long id) {
        return Optional.ofNullable(running.get(id));
    }

    /** The slow queries kept, newest first. */
    public List<SlowQuery> slow() {
        synchronized (slow) {
            return List.copyOf(slow);
        }
    }
}
