package io.rayforce.cluster.coordinator.server;

import io.micrometer.core.instrument.Metrics;
import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.store.FencedException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the placement leader's shard tasks (copies, moves, drops) on a small worker pool, at most
 * one task per shard at a time. A shard whose task failed, or for which no node could be found,
 * backs off: the reconciler leaves it alone for 500 ms, doubling with each further failure up to
 * 30 s; a task that succeeds clears its shard's failures. After every task, and when a backoff
 * ends, the runner asks for another reconcile pass ({@code lookAgainIn}, in nanoseconds from
 * now; 0 for at once). Closing it (leadership lost) stops the pool and fails every waiting future
 * with {@link FencedException}. Each task that ends is counted in
 * {@code rfc.coordinator.tasks{task, outcome}} (task: what it does, "re-fill", "repair copy", ...).
 */
final class TaskRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

    /** One shard's work. */
    @FunctionalInterface
    interface Task {
        void run() throws Exception;
    }

    private final ExecutorService workers;
    private final LongConsumer lookAgainIn;
    private final Map<ShardRef, CompletableFuture<Void>> busy = new ConcurrentHashMap<>();
    private final Map<ShardRef, Long> retryAt = new ConcurrentHashMap<>();
    private final Map<ShardRef, Integer> failures = new ConcurrentHashMap<>();
    private final Set<String> heldTables = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param workers tasks that may run at once
     * @param lookAgainIn asks for a reconcile pass that many nanoseconds from now
     */
    TaskRunner(int workers, LongConsumer lookAgainIn) {
        this.workers = Executors.newFixedThreadPool(Math.max(1, workers), Workers.daemons("placement-worker"));
        this.lookAgainIn = lookAgainIn;
    }

    /**
     * Runs a task for the shard unless one is running; the future completes when it is done. A
     * second task for a busy shard is not run: the caller gets the running task's future.
     *
     * @param what names the task in the log ("re-fill", "drain move", ...)
     */
    CompletableFuture<Void> submit(ShardRef ref, String what, Task task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (heldTables.contains(ref.table())) {
            backOff(ref, what + " of " + ref + " waits: the table is being resharded");
            done.completeExceptionally(new IllegalStateException("table " + ref.table() + " is being resharded"));
            return done;
        }
        if (busy.putIfAbsent(ref, done) != null) {
            return busy.getOrDefault(ref, CompletableFuture.completedFuture(null));
        }
        try {
            workers.execute(() -> {
                try {
                    task.run();
                    Metrics.counter("rfc.coordinator.tasks", "task", kind(what), "outcome", "ok").increment();
                    failures.remove(ref);
                    retryAt.remove(ref);
                    done.complete(null);
                } catch (Exception e) {
                    Metrics.counter("rfc.coordinator.tasks", "task", kind(what), "outcome", "failed").increment();
                    if (!closed) {
                        backOff(ref, what + " of " + ref + " failed: " + e.getMessage());
                    }
                    done.completeExceptionally(e);
                } finally {
                    busy.remove(ref, done);
                    lookAgainIn.accept(0);
                }
            });
        } catch (RejectedExecutionException e) {
            busy.remove(ref, done);
            done.completeExceptionally(new FencedException("leadership lost"));
        }
        return done;
    }

    /** The kind of task {@code what} names, without its target node ("replicate to n3" is "replicate"). */
    static String kind(String what) {
        int to = what.indexOf(" to ");
        return to < 0 ? what : what.substring(0, to);
    }

    /** Leaves the shard alone for its next backoff (see {@link #backoffMillis}), then asks for a pass. */
    void backOff(ShardRef ref, String why) {
        int n = failures.merge(ref, 1, Integer::sum);
        long delay = TimeUnit.MILLISECONDS.toNanos(backoffMillis(n));
        retryAt.put(ref, System.nanoTime() + delay);
        log.warn("{} (retrying in {} ms)", why, TimeUnit.NANOSECONDS.toMillis(delay));
        lookAgainIn.accept(delay);
    }

    /** The wait after the {@code failures}-th failure in a row: 500 ms, doubling, at most 30 s. */
    static long backoffMillis(int failures) {
        return Math.min(30_000, 250L << Math.min(failures, 7));
    }

    /** Runs other leader work on the same pool (dropped once closed). */
    void execute(Runnable job) {
        try {
            workers.execute(job);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    boolean isRunning(ShardRef ref) {
        return busy.containsKey(ref) || heldTables.contains(ref.table());
    }

    /**
     * Keeps every shard task off a table (a reshard replaces its whole placement) until the
     * returned handle is closed: its shards count as running, and tasks submitted for them back off.
     *
     * @throws IllegalStateException when the table is held already
     */
    AutoCloseable holdTable(String table) {
        if (!heldTables.add(table)) {
            throw new IllegalStateException("table " + table + " is being resharded already");
        }
        return () -> {
            heldTables.remove(table);
            lookAgainIn.accept(0);
        };
    }

    /** Whether a shard task of the table is running now. */
    boolean anyRunning(String table) {
        return busy.keySet().stream().anyMatch(r -> r.table().equals(table));
    }

    /** The tables held off with {@link #holdTable} (a copy). */
    Set<String> heldTables() {
        return Set.copyOf(heldTables);
    }

    /** The shards with a task running now (a copy). */
    Set<ShardRef> running() {
        return Set.copyOf(busy.keySet());
    }

    /** When each backed-off shard may be looked at again, in {@link System#nanoTime()} terms (a copy). */
    Map<ShardRef, Long> retryTimes() {
        return Map.copyOf(retryAt);
    }

    @Override
    public void close() {
        closed = true;
        workers.shutdownNow();
        busy.values().forEach(f -> f.completeExceptionally(new FencedException("leadership lost")));
    }
}
