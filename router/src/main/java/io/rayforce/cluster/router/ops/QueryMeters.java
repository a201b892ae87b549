package io.rayforce.cluster.router.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of the queries a router ran (docs/operations.md), in Micrometer's global registry:
 * <ul>
 *   <li>{@code rfc.query.duration{outcome, plan}}: a histogram of how long each query took, by
 *       its outcome ({@code ok} or the error code it was answered with) and its plan's top
 *       operator ({@code MergeSorted}, {@code GroupCombine}, ...; a statement's kind for writes
 *       and admin functions, {@code none} when it failed before it was planned);</li>
 *   <li>{@code rfc.write.duration{statement, outcome}}: the same for writes
 *       ({@code Insert}, {@code Upsert}, {@code Update}, {@code Delete}, {@code Save});</li>
 *   <li>{@code rfc.query.result.rows}: rows (or items) of the answers;</li>
 *   <li>{@code rfc.queries.running{user}}: queries running now, per user;</li>
 *   <li>{@code rfc.queries.slow}: queries that took longer than the slow-query threshold;</li>
 *   <li>{@code rfc.read.lock.wait}: how long reads waited for their tables' read locks (a write
 *       holding a table makes its readers wait; docs/architecture.md, Atomic visibility).</li>
 * </ul>
 */
final class QueryMeters {
    /** The histogram's buckets: from a millisecond to the default timeout. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60)};
    /** The statements that write. */
    static final Set<String> WRITES = Set.of("Insert", "Upsert", "Update", "Delete", "Save");

    private final MeterRegistry registry = Metrics.globalRegistry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    /** Per user, over every query log of the process (the gauge is the process's, as are the other meters). */
    private static final Map<String, AtomicInteger> RUNNING_BY_USER = new ConcurrentHashMap<>();
    private final Counter resultRows = Counter.builder("rfc.query.result.rows")
            .description("rows (or items) of the answers queries returned").register(registry);
    private final Counter slow = Counter.builder("rfc.queries.slow")
            .description("queries slower than the slow-query threshold").register(registry);
    private final Timer lockWait = Timer.builder("rfc.read.lock.wait").serviceLevelObjectives(BUCKETS)
            .description("how long reads waited for their tables' read locks").register(registry);

    void started(String user) {
        RUNNING_BY_USER.computeIfAbsent(label(user), u -> {
            AtomicInteger n = new AtomicInteger();
            Gauge.builder("rfc.queries.running", n, AtomicInteger::get).tag("user", u)
                    .description("queries running now, per user").register(registry);
            return n;
        }).incrementAndGet();
    }

    void finished(String user, String operator, String outcome, long nanos, long rows, boolean wasSlow) {
        RUNNING_BY_USER.get(label(user)).decrementAndGet();
        timer("rfc.query.duration", "plan", operator, outcome, "how long queries took, by outcome and plan operator")
                .record(nanos, TimeUnit.NANOSECONDS);
        if (WRITES.contains(operator)) {
            timer("rfc.write.duration", "statement", operator, outcome, "how long writes took, by statement and outcome")
                    .record(nanos, TimeUnit.NANOSECONDS);
        }
        if (rows > 0) {
            resultRows.increment(rows);
        }
        if (wasSlow) {
            slow.increment();
        }
    }

    void waitedForLocks(long nanos) {
        lockWait.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String name, String kindTag, String kind, String outcome, String description) {
        return timers.computeIfAbsent(name + '\0' + kind + '\0' + outcome, k -> Timer.builder(name)
                .tags(kindTag, kind, "outcome", outcome).serviceLevelObjectives(BUCKETS)
                .description(description).register(registry));
    }

    /** The user label: the name a client logged in with, {@code anonymous} without one. */
    static String label(String user) {
        return user == null || user.isEmpty() ? "anonymous" : user;
    }
}
