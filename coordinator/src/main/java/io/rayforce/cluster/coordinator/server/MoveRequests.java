package io.rayforce.cluster.coordinator.server;

import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.placement.PlacementException;
import io.rayforce.cluster.coordinator.placement.PlacementPlanner;
import io.rayforce.cluster.coordinator.proto.DrainNodeRequest;
import io.rayforce.cluster.coordinator.proto.DrainNodeResponse;
import io.rayforce.cluster.coordinator.proto.RebalanceRequest;
import io.rayforce.cluster.coordinator.proto.RebalanceResponse;
import io.rayforce.cluster.coordinator.proto.ShardMove;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.PlacementStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drain and rebalance on request: the moves are planned at once ({@link PlacementPlanner}) and
 * handed to the {@link TaskRunner} as shard tasks, each carried out by the {@link ShardMover}
 * (the new replica first, then the old one goes). The answer lists the planned moves, or with
 * {@code wait}, comes when they are done. A drain also marks the node draining, so the
 * reconcile loop finishes it should this leader stop.
 */
final class MoveRequests {
    private static final Logger log = LoggerFactory.getLogger(MoveRequests.class);
    private final PlacementStore store;
    private final ShardMover mover;
    private final TaskRunner runner;
    private final ProgressBoard progress;
    private final Duration drainWait;

    /**
     * @param store the leader's (fenced) store
     * @param drainWait how long a drain with {@code wait} waits for the node to hold nothing, after its moves
     */
    MoveRequests(PlacementStore store, ShardMover mover, TaskRunner runner, ProgressBoard progress, Duration drainWait) {
        this.store = store;
        this.mover = mover;
        this.runner = runner;
        this.progress = progress;
        this.drainWait = drainWait;
    }

    /**
     * Drains a node (moves every replica away and takes no new ones), or with {@code undrain}
     * lets it take replicas again.
     *
     * @throws NotFoundException when the node is no member and holds no replica
     * @throws PlacementException naming a shard that has nowhere to go
     */
    DrainNodeResponse drain(DrainNodeRequest req) throws Exception {
        String node = req.getNodeId();
        ClusterSnapshot snap = store.currentSnapshot();
        if (req.getUndrain()) {
            store.setDraining(node, false);
            return DrainNodeResponse.newBuilder().setEpoch(snap.epoch()).build();
        }
        if (snap.node(node).isEmpty() && !holdsAnything(snap, node)) {
            throw new NotFoundException("no node " + node + ": it is not a member and holds no replicas");
        }
        List<String> eligible = PlacementPlanner.eligibleNodes(snap).stream().filter(n -> !n.equals(node)).toList();
        List<ShardMove> moves = PlacementPlanner.planDrain(snap, node, eligible);
        store.setDraining(node, true);
        ProgressBoard.Operation op = progress.start(req.getOperationId(), "drain " + node, moves.size());
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (ShardMove m : moves) {
            running.add(m.getToNode().isEmpty()
                    ? counted(op, new ShardRef(m.getTable(), m.getShard()), "retire", () -> {
                        mover.retire(m.getTable(), m.getShard(), node);
                        return 0L;
                    })
                    : counted(op, new ShardRef(m.getTable(), m.getShard()), "drain move",
                            () -> mover.add(m.getTable(), m.getShard(), m.getToNode(), node)));
        }
        long epoch = snap.epoch();
        if (req.getWait()) {
            Workers.awaitAll(running);
            epoch = awaitEmpty(node);
        }
        return DrainNodeResponse.newBuilder().setReplicasToMove(moves.size()).addAllMoves(moves).setEpoch(epoch).build();
    }

    /** Evens out the tables and then the nodes' totals across the eligible nodes, leaving out shards with a task running. */
    RebalanceResponse rebalance(RebalanceRequest req) throws Exception {
        ClusterSnapshot snap = store.currentSnapshot();
        List<ShardMove> planned = PlacementPlanner.planRebalance(snap, PlacementPlanner.eligibleNodes(snap));
        List<ShardMove> moves = planned.stream().filter(m -> !runner.isRunning(new ShardRef(m.getTable(), m.getShard()))).toList();
        if (req.getDryRun()) {
            return RebalanceResponse.newBuilder().addAllMoves(moves).setEpoch(snap.epoch()).build();
        }
        ProgressBoard.Operation op = progress.start(req.getOperationId(), "rebalance", moves.size());
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (ShardMove m : moves) {
            running.add(counted(op, new ShardRef(m.getTable(), m.getShard()), "rebalance move",
                    () -> mover.add(m.getTable(), m.getShard(), m.getToNode(), m.getFromNode())));
        }
        long epoch = snap.epoch();
        if (req.getWait()) {
            Workers.awaitAll(running);
            epoch = store.currentEpoch();
        }
        return RebalanceResponse.newBuilder().addAllMoves(moves).setEpoch(epoch).build();
    }

    /** A shard task that answers the bytes it copied. */
    @FunctionalInterface
    interface CopyTask {
        long run() throws Exception;
    }

    /** Runs a shard task on the runner and counts it into {@code op} when it ends. */
    private CompletableFuture<Void> counted(ProgressBoard.Operation op, ShardRef ref, String what, CopyTask task) {
        return counted(runner, op, ref, what, task);
    }

    /** As above, on {@code runner}: the shared rule of the leader's counted tasks (moves and repairs). */
    static CompletableFuture<Void> counted(TaskRunner runner, ProgressBoard.Operation op, ShardRef ref, String what, CopyTask task) {
        AtomicLong copied = new AtomicLong();
        // the future handed back completes once the task is counted: whoever waits for it sees the count
        return runner.submit(ref, what, () -> copied.set(task.run())).whenComplete((v, e) -> {
            if (e == null) {
                op.shardDone(copied.get());
            } else {
                op.shardFailed(what + " of " + ref + ": " + e.getMessage());
            }
        });
    }

    /** The automatic rebalance: starts the moves in the background and logs them (failures are the runner's to retry). */
    void rebalanceNow() {
        try {
            RebalanceResponse r = rebalance(RebalanceRequest.getDefaultInstance());
            if (r.getMovesCount() > 0) {
                log.info("automatic rebalance: {} move(s) at epoch {}", r.getMovesCount(), r.getEpoch());
            }
        } catch (Exception e) {
            log.warn("automatic rebalance failed: {}", e.toString());
        }
    }

    /** Waits until the node holds no replica; returns the epoch at which that was seen. */
    private long awaitEmpty(String node) throws InterruptedException, TimeoutException {
        ClusterView view = store.view();
        long deadline = System.nanoTime() + drainWait.toNanos();
        while (true) {
            ClusterSnapshot snap = view.snapshot();
            if (!holdsAnything(snap, node)) {
                return snap.epoch();
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("node " + node + " still holds replicas");
            }
            try {
                view.awaitEpoch(snap.epoch() + 1, Duration.ofSeconds(1)); // woken by the next change
            } catch (TimeoutException e) {
                // look again
            }
        }
    }

    private static boolean holdsAnything(ClusterSnapshot snap, String node) {
        return snap.tables().values().stream().flatMap(t -> t.getShardsList().stream())
                .flatMap(s -> s.getReplicasList().stream()).anyMatch(r -> r.getNodeId().equals(node));
    }
}
