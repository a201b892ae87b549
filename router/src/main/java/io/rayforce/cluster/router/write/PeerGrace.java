package io.rayforce.cluster.router.write;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * How long a write step waits for a straggling replica once its peers answered (docs/router.md,
 * Acknowledgement): the step's answers per node are awaited until every node answered, or until
 * every node still silent has, for each of its shards, a peer replica that applied the step, and
 * the grace has passed since: the larger of {@code baseMillis} and twice the time the peers took
 * (a large write's slower replica is not cut for being slower). A node cut so is {@code lost} (it
 * may still apply the step): the write reports it STALE and is answered, instead of holding its
 * table, and the reads behind it, until the request's own timeout, as a cut-off node otherwise
 * would (Kafka drops a follower that lags its leader from the in-sync set the same way); its
 * answer is cancelled, which resets its connection ({@link ReplicaWrites#send}). A node one of
 * whose shards has no replica that applied the step is waited for as before.
 */
final class PeerGrace {
    /** The least grace a straggler gets after its peers applied a step. */
    static final long MILLIS = Long.getLong("rfc.write.peerGraceMillis", 2_000);

    /** Fires the graces; a grace whose step was answered in time is cancelled and leaves the queue at once. */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private PeerGrace() {
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "rayforce-write-peer-grace");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /**
     * The outcome of each node (in {@code sent}'s order) once every node answered or the stragglers'
     * grace ran out.
     *
     * @param shardsOf the shards each node's request covers
     * @param applied whether an answer means the node applied the step
     */
    static CompletableFuture<Map<String, ReplicaOutcome>> await(Map<String, CompletableFuture<ReplicaOutcome>> sent,
            Map<String, ? extends Collection<Integer>> shardsOf, long baseMillis, Predicate<ReplicaOutcome> applied) {
        Waiter w = new Waiter(sent, shardsOf, baseMillis, applied);
        sent.forEach((node, f) -> f.whenComplete((o, e) -> w.answered()));
        w.answered();
        return w.result;
    }

    private static final class Waiter {
        private final Map<String, CompletableFuture<ReplicaOutcome>> sent;
        private final Map<String, ? extends Collection<Integer>> shardsOf;
        private final long baseMillis;
        private final Predicate<ReplicaOutcome> applied;
        private final long start = System.nanoTime();
        final CompletableFuture<Map<String, ReplicaOutcome>> result = new CompletableFuture<>();
        private long graceMillis = -1;
        private ScheduledFuture<?> timer;
        private boolean cut;

        Waiter(Map<String, CompletableFuture<ReplicaOutcome>> sent, Map<String, ? extends Collection<Integer>> shardsOf,
                long baseMillis, Predicate<ReplicaOutcome> applied) {
            this.sent = sent;
            this.shardsOf = shardsOf;
            this.baseMillis = baseMillis;
            this.applied = applied;
        }

        synchronized void answered() {
            if (result.isDone() || cut) {
                return;
            }
            if (sent.values().stream().allMatch(CompletableFuture::isDone)) {
                if (timer != null) {
                    timer.cancel(false);
                }
                result.complete(outcomes(false));
                return;
            }
            if (graceMillis < 0 && stragglersCovered()) {
                // once set the timer stays: the stragglers' peers only add answers, never take one back
                graceMillis = Math.max(baseMillis, 2 * TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                timer = TIMER.schedule(this::graceOver, graceMillis, TimeUnit.MILLISECONDS);
            }
        }

        private synchronized void graceOver() {
            if (!result.isDone()) {
                Map<String, ReplicaOutcome> out = outcomes(true);
                cut = true; // the cancels below call answered() on this thread: it must not answer first
                sent.values().forEach(f -> f.cancel(false)); // the stragglers': a finished answer is not changed
                result.complete(out);
            }
        }

        /** Whether every shard of every node not answered yet has a replica that applied the step. */
        private boolean stragglersCovered() {
            Set<Integer> covered = new HashSet<>();
            sent.forEach((node, f) -> {
                if (f.isDone() && applied.test(done(node, f))) {
                    covered.addAll(shardsOf.get(node));
                }
            });
            for (Map.Entry<String, CompletableFuture<ReplicaOutcome>> e : sent.entrySet()) {
                if (!e.getValue().isDone() && !covered.containsAll(shardsOf.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        private Map<String, ReplicaOutcome> outcomes(boolean cut) {
            Map<String, ReplicaOutcome> out = new LinkedHashMap<>();
            sent.forEach((node, f) -> out.put(node, f.isDone() || !cut ? done(node, f)
                    : ReplicaOutcome.lost(node, "no answer " + graceMillis + " ms after another replica of its shard applied it")));
            return out;
        }

        /** A finished send's outcome (sends do not fail; one that did counts as lost, not as a hang). */
        private static ReplicaOutcome done(String node, CompletableFuture<ReplicaOutcome> f) {
            try {
                return f.join();
            } catch (RuntimeException e) {
                return ReplicaOutcome.lost(node, "the send failed: " + e);
            }
        }
    }
}
