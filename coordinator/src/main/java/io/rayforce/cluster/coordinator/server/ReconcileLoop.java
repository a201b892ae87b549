package io.rayforce.cluster.coordinator.server;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.placement.PlacementPlanner;
import io.rayforce.cluster.coordinator.placement.Reconciler;
import io.rayforce.cluster.coordinator.placement.Reconciler.Action;
import io.rayforce.cluster.coordinator.placement.Reconciler.Decision;
import io.rayforce.cluster.coordinator.placement.Reconciler.DownReplica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.FencedException;
import io.rayforce.cluster.coordinator.store.PlacementCommit;
import io.rayforce.cluster.coordinator.store.PlacementStore;
import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The placement leader's reconcile loop. A pass runs on the loop's own thread after every new
 * snapshot of the view, after every finished shard task, and when a wait (a repair grace, a
 * backoff) ends; several requests while one is queued make one pass. A pass sweeps each node
 * that joined for orphaned shards ({@link OrphanShards}), marks the replicas of lost nodes DOWN
 * (one change; its new epoch brings the next pass), and otherwise hands the {@link Reconciler}'s
 * actions to the {@link TaskRunner}, each carried out by the {@link ShardMover}. With automatic
 * rebalance on, a node that starts taking shards (it joined, was undrained, its engine came up;
 * and every node when this leader starts) makes a rebalance due, which starts at the first pass
 * with no repair to make and no shard task running ({@link MoveRequests#rebalanceNow}). A pass
 * that fails is tried again after a second.
 */
final class ReconcileLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReconcileLoop.class);

    private final ClusterView view;
    private final PlacementStore store;
    private final Reconciler reconciler;
    private final TaskRunner runner;
    private final ShardMover mover;
    private final OrphanShards orphans;
    /** Starts a rebalance in the background (null: automatic rebalance is off). */
    private final Runnable rebalance;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(Workers.daemons("placement-reconcile"));
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final Consumer<ClusterSnapshot> listener = s -> lookAgain();
    // touched by the loop's thread only
    private Set<String> members = Set.of();
    private volatile Map<DownReplica, Long> downSince = Map.of();
    private Set<String> eligible = Set.of();
    private boolean rebalanceDue;
    private volatile boolean closed;

    /** @param rebalance starts a rebalance in the background; null turns automatic rebalance off */
    ReconcileLoop(ClusterView view, PlacementStore store, Reconciler reconciler, TaskRunner runner, ShardMover mover, OrphanShards orphans,
            Runnable rebalance) {
        this.rebalance = rebalance;
        this.view = view;
        this.store = store;
        this.reconciler = reconciler;
        this.runner = runner;
        this.mover = mover;
        this.orphans = orphans;
    }

    /** Starts listening to the view, with a first pass at once. */
    void start() {
        view.addListener(listener);
        lookAgain();
    }

    /** Asks for a pass as soon as the loop's thread is free. */
    void lookAgain() {
        if (!closed && passQueued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    passQueued.set(false);
                    pass();
                });
            } catch (RejectedExecutionException e) {
                // closed
            }
        }
    }

    /** Asks for a pass {@code nanos} from now (at once when not positive). */
    void lookAgainIn(long nanos) {
        if (nanos <= 0) {
            lookAgain();
            return;
        }
        try {
            thread.schedule(this::lookAgain, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    @Override
    public void close() {
        closed = true;
        view.removeListener(listener);
        thread.shutdownNow();
    }

    private void pass() {
        if (closed || !view.isConnected()) {
            return;
        }
        try {
            reconcile(view.snapshot());
        } catch (FencedException e) {
            log.info("placement leader fenced: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("placement reconcile failed (retrying in 1 s): {}", e.toString());
            lookAgainIn(TimeUnit.SECONDS.toNanos(1));
        }
    }

    private void reconcile(ClusterSnapshot snap) {
        long now = System.nanoTime();
        for (String joined : Reconciler.joined(snap, members)) {
            runner.execute(() -> orphans.sweep(joined));
        }
        members = Set.copyOf(snap.nodes().keySet());
        List<String> eligibleNow = PlacementPlanner.eligibleNodes(snap);
        List<String> started = PlacementPlanner.newlyEligible(eligible, eligibleNow);
        eligible = Set.copyOf(eligibleNow);
        if (rebalance != null && !started.isEmpty()) {
            log.info("node(s) {} take shards now: a rebalance is due once repairs are done", started);
            rebalanceDue = true;
        }
        if (Reconciler.hasLostReplicas(snap) && markLostReplicasDown()) {
            return; // the DOWN epoch brings the next pass
        }
        Set<ShardRef> running = new HashSet<>(runner.running());
        for (String held : runner.heldTables()) {
            snap.table(held).ifPresent(t -> t.getShardsList().forEach(s -> running.add(new ShardRef(held, s.getShard()))));
        }
        Decision d = reconciler.decide(snap, downSince, running, runner.retryTimes(), now);
        downSince = d.downSince();
        d.stuck().forEach(s -> runner.backOff(s.shard(), s.why()));
        for (Action a : d.actions()) {
            runner.submit(a.shard(), a.what(), () -> {
                if (stillWanted(a)) {
                    carryOut(a);
                }
            });
        }
        d.wakeAt().ifPresent(at -> lookAgainIn(Math.max(1, at - now)));
        if (rebalanceDue && d.actions().isEmpty() && runner.running().isEmpty()) {
            rebalanceDue = false;
            rebalance.run();
        }
    }

    /**
     * Whether the reconciler would still decide {@code a} at the current epoch: a pass's decisions
     * may wait in the runner's queue while the placement changes (another task, a reshard, a
     * replication change), and a stale one must not be carried out.
     */
    private boolean stillWanted(Action a) throws Exception {
        ClusterSnapshot now = store.currentSnapshot();
        if (runner.heldTables().contains(a.shard().table())) {
            return false;
        }
        Set<ShardRef> others = new HashSet<>();
        now.tables().values().forEach(t -> t.getShardsList().forEach(s -> {
            ShardRef ref = new ShardRef(t.getSpec().getName(), s.getShard());
            if (!ref.equals(a.shard())) {
                others.add(ref);
            }
        }));
        boolean wanted = reconciler.decide(now, downSince, others, Map.of(), System.nanoTime()).actions().contains(a);
        if (!wanted) {
            log.info("{} of {} is no longer needed at epoch {}", a.what(), a.shard(), now.epoch());
        }
        return wanted;
    }

    private boolean markLostReplicasDown() {
        PlacementCommit c = store.update(Reconciler::lostReplicasDown);
        if (c.changed()) {
            log.info("replicas of lost nodes marked DOWN at epoch {}", c.epoch());
        }
        return c.changed();
    }

    private void carryOut(Action a) throws Exception {
        String table = a.shard().table();
        int shard = a.shard().shard();
        switch (a.kind()) {
            case DROP -> mover.drop(table, shard, a.node());
            case REMOVE_DROPPING -> mover.remove(table, shard, a.node(), Set.of(ReplicaState.DROPPING));
            case REMOVE_DOWN -> mover.remove(table, shard, a.node(), Set.of(ReplicaState.DOWN));
            case REFILL -> mover.refill(table, shard, a.node());
            case REPAIR, DRAIN_MOVE, REPLICATE -> mover.add(table, shard, a.target(), a.node());
            case RETIRE -> mover.retire(table, shard, a.node());
            case FINISH_SPLIT -> mover.finishSplit(table, shard, a.node());
            default -> throw new IllegalStateException("no procedure for " + a);
        }
    }
}
