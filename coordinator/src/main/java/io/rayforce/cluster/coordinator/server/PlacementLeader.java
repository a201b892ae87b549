package io.rayforce.cluster.coordinator.server;

import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.placement.PlacementEdits;
import io.rayforce.cluster.coordinator.placement.PlacementPlanner;
import io.rayforce.cluster.coordinator.placement.Reconciler;
import io.rayforce.cluster.coordinator.placement.Reconciler.Action;
import io.rayforce.cluster.coordinator.placement.Reconciler.Decision;
import io.rayforce.cluster.coordinator.placement.Reconciler.DownReplica;
import io.rayforce.cluster.coordinator.proto.DrainNodeRequest;
import io.rayforce.cluster.coordinator.proto.DrainNodeResponse;
import io.rayforce.cluster.coordinator.proto.DropTableResponse;
import io.rayforce.cluster.coordinator.proto.ListShardsResponse;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.RebalanceRequest;
import io.rayforce.cluster.coordinator.proto.RebalanceResponse;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ReportReplicaFailureRequest;
import io.rayforce.cluster.coordinator.proto.ShardInfo;
import io.rayforce.cluster.coordinator.proto.ShardMove;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.DdlLocks;
import io.rayforce.cluster.coordinator.store.FencedException;
import io.rayforce.cluster.coordinator.store.NoSuchTableException;
import io.rayforce.cluster.coordinator.store.NodeCommands;
import io.rayforce.cluster.coordinator.store.PlacementCommit;
import io.rayforce.cluster.coordinator.store.PlacementStore;
import io.rayforce.cluster.coordinator.store.RouterBarrier;
import io.rayforce.cluster.coordinator.store.TableExistsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The placement leader's work while this coordinator holds leadership: table creation and drops,
 * drains, rebalances, replica failure reports, and a reconcile loop that reacts to every new
 * snapshot: replicas of lost nodes become DOWN at once and are re-created elsewhere after the
 * repair grace; STALE replicas and those of returning nodes are re-filled in place; DROPPING
 * replicas are dropped; draining nodes are emptied; tables replicated to all nodes follow
 * membership (the decisions are the {@link Reconciler}'s). Shard tasks run on a
 * {@link TaskRunner}, one per shard at a time, with backoff.
 *
 * <p>Every write goes through a store fenced by this coordinator's leader latch znode, so a
 * coordinator that has lost leadership cannot change placement.
 */
final class PlacementLeader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PlacementLeader.class);

    private final CoordinatorConfig config;
    private final ClusterView view;
    private final PlacementStore store;
    private final NodeCommands nodes;
    private final RouterBarrier routers;
    private final ShardMover mover;
    private final Reconciler rules;
    private final ScheduledExecutorService reconciler;
    private final TaskRunner runner;
    private final ExecutorService rpc;
    private final Set<String> creating = ConcurrentHashMap.newKeySet();
    private Map<DownReplica, Long> downSince = Map.of();
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final Consumer<ClusterSnapshot> listener = s -> requestPass();
    private Set<String> knownMembers = Set.of();
    private volatile boolean closed;

    PlacementLeader(CoordinatorConfig config, ClusterView view, PlacementStore fencedStore, io.rayforce.cluster.coordinator.store.ShardLocks locks,
            NodeCommands nodes, RouterBarrier routers) {
        this.config = config;
        this.view = view;
        this.store = fencedStore;
        this.nodes = nodes;
        this.routers = routers;
        this.mover = new ShardMover(fencedStore, view, locks, nodes, routers, config.routerWait(), Duration.ofSeconds(60));
        this.rules = new Reconciler(config.repairGrace());
        this.reconciler = Executors.newSingleThreadScheduledExecutor(Workers.daemons("placement-reconcile"));
        this.runner = new TaskRunner(config.workers(), this::lookAgainIn);
        this.rpc = Executors.newFixedThreadPool(16, Workers.daemons("placement-rpc"));
    }

    void start() {
        view.addListener(listener);
        requestPass();
    }

    @Override
    public void close() {
        closed = true;
        view.removeListener(listener);
        reconciler.shutdownNow();
        runner.close();
        rpc.shutdownNow();
    }

    // -----------------------------------------------------------------------------------------
    // Admin operations

    TablePlacement createTable(TableSpec requested, boolean ifNotExists) throws Exception {
        TableSpec spec = TableSpecValidator.validate(requested);
        try (DdlLocks.Held held = store.lockTable(spec.getName())) {
            ClusterSnapshot snap = current();
            TablePlacement existing = snap.table(spec.getName()).orElse(null);
            if (existing != null) {
                if (ifNotExists && existing.getSpec().toBuilder().clearCreatedEpoch().build().equals(spec)) {
                    return existing;
                }
                throw new TableExistsException("table " + spec.getName() + " already exists"
                        + (ifNotExists ? " with a different spec" : ""));
            }
            List<String> eligible = PlacementPlanner.eligibleNodes(snap);
            List<ShardPlacement> shards = PlacementPlanner.placeTable(spec, snap, eligible);
            creating.add(spec.getName());
            try {
                createShards(snap, spec, shards);
                TablePlacement written;
                try {
                    written = store.createTable(TablePlacement.newBuilder().setSpec(spec).addAllShards(shards).build());
                } catch (TableExistsException e) {
                    throw e; // someone else's table: its shards are not ours to drop
                } catch (RuntimeException e) {
                    dropShards(snap, spec.getName(), shards);
                    throw e;
                }
                return written;
            } finally {
                creating.remove(spec.getName());
            }
        }
    }

    DropTableResponse dropTable(String name, boolean ifExists) throws Exception {
        try (DdlLocks.Held held = store.lockTable(name)) {
            ClusterSnapshot snap = current();
            TablePlacement t = snap.table(name).orElse(null);
            long epoch;
            try {
                epoch = store.dropTable(name);
            } catch (NoSuchTableException e) {
                if (ifExists) {
                    return DropTableResponse.newBuilder().setDropped(false).setEpoch(store.currentEpoch()).build();
                }
                throw e;
            }
            routers.awaitRoutersAt(epoch, config.routerWait());
            if (t != null) {
                dropShards(snap, name, t.getShardsList());
            }
            return DropTableResponse.newBuilder().setDropped(true).setEpoch(epoch).build();
        }
    }

    long reportReplicaFailure(ReportReplicaFailureRequest req) throws Exception {
        ClusterSnapshot snap = current();
        TablePlacement t = snap.table(req.getTable()).orElseThrow(() -> new NoSuchTableException("no table " + req.getTable()));
        if (req.getShard() < 0 || req.getShard() >= t.getShardsCount()) {
            throw new InvalidSpecException("shard", "table " + req.getTable() + " has no shard " + req.getShard());
        }
        if (PlacementEdits.state(t, req.getShard(), req.getNodeId()) == null) {
            throw new InvalidSpecException("node_id", "shard " + req.getTable() + "/" + req.getShard()
                    + " has no replica on node " + req.getNodeId());
        }
        PlacementCommit c = store.update(s -> s.table(req.getTable()).map(p -> {
            ReplicaState st = PlacementEdits.state(p, req.getShard(), req.getNodeId());
            return st == ReplicaState.LIVE || st == ReplicaState.COPYING
                    ? List.of(PlacementEdits.withReplica(p, req.getShard(), req.getNodeId(), ReplicaState.STALE))
                    : List.<TablePlacement>of();
        }).orElse(List.of()));
        if (c.changed()) {
            log.info("{}/{}: replica on {} marked STALE at epoch {} ({})", req.getTable(), req.getShard(), req.getNodeId(),
                    c.epoch(), req.getReason().isEmpty() ? "write failed" : req.getReason());
        }
        if (!routers.awaitRoutersAt(c.epoch(), config.routerWait())) {
            throw new TimeoutException("routers " + routers.behind(c.epoch()) + " have not applied epoch " + c.epoch()
                    + " within " + config.routerWait().toMillis() + " ms");
        }
        return c.epoch();
    }

    DrainNodeResponse drain(DrainNodeRequest req) throws Exception {
        String node = req.getNodeId();
        ClusterSnapshot snap = current();
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
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (ShardMove m : moves) {
            running.add(m.getToNode().isEmpty()
                    ? runner.submit(new ShardRef(m.getTable(), m.getShard()), "retire", () -> mover.retire(m.getTable(), m.getShard(), node))
                    : runner.submit(new ShardRef(m.getTable(), m.getShard()), "drain move",
                            () -> mover.add(m.getTable(), m.getShard(), m.getToNode(), node)));
        }
        long epoch = snap.epoch();
        if (req.getWait()) {
            Workers.awaitAll(running);
            epoch = awaitEmpty(node);
        }
        return DrainNodeResponse.newBuilder().setReplicasToMove(moves.size()).addAllMoves(moves).setEpoch(epoch).build();
    }

    RebalanceResponse rebalance(RebalanceRequest req) throws Exception {
        ClusterSnapshot snap = current();
        List<ShardMove> planned = PlacementPlanner.planRebalance(snap, PlacementPlanner.eligibleNodes(snap));
        List<ShardMove> moves = planned.stream().filter(m -> !runner.isRunning(new ShardRef(m.getTable(), m.getShard()))).toList();
        if (req.getDryRun()) {
            return RebalanceResponse.newBuilder().addAllMoves(moves).setEpoch(snap.epoch()).build();
        }
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (ShardMove m : moves) {
            running.add(runner.submit(new ShardRef(m.getTable(), m.getShard()), "rebalance move",
                    () -> mover.add(m.getTable(), m.getShard(), m.getToNode(), m.getFromNode())));
        }
        long epoch = snap.epoch();
        if (req.getWait()) {
            Workers.awaitAll(running);
            epoch = store.currentEpoch();
        }
        return RebalanceResponse.newBuilder().addAllMoves(moves).setEpoch(epoch).build();
    }

    // -----------------------------------------------------------------------------------------
    // Reconcile

    private void requestPass() {
        if (!closed && passQueued.compareAndSet(false, true)) {
            try {
                reconciler.execute(() -> {
                    passQueued.set(false);
                    pass();
                });
            } catch (RejectedExecutionException e) {
                // closed
            }
        }
    }

    /** The task runner's request for a pass {@code nanos} from now (at once when 0). */
    private void lookAgainIn(long nanos) {
        if (nanos <= 0) {
            requestPass();
        } else {
            requestPassIn(nanos);
        }
    }

    private void requestPassIn(long nanos) {
        try {
            reconciler.schedule(this::requestPass, Math.max(1, nanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
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
            requestPassIn(TimeUnit.SECONDS.toNanos(1));
        }
    }

    private void reconcile(ClusterSnapshot snap) {
        long now = System.nanoTime();
        for (String id : Reconciler.joined(snap, knownMembers)) {
            cleanOrphansLater(id);
        }
        knownMembers = Set.copyOf(snap.nodes().keySet());
        if (Reconciler.hasLostReplicas(snap) && markLostReplicasDown()) {
            return; // the DOWN epoch triggers the next pass
        }
        Decision d = rules.decide(snap, downSince, runner.running(), runner.retryTimes(), now);
        downSince = d.downSince();
        d.stuck().forEach(s -> runner.backOff(s.shard(), s.why()));
        for (Action a : d.actions()) {
            runner.submit(a.shard(), a.what(), () -> carryOut(a));
        }
        d.wakeAt().ifPresent(at -> requestPassIn(at - now));
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
            default -> throw new IllegalStateException("no procedure for " + a);
        }
    }

    /** Marks every LIVE, COPYING or STALE replica of a node that left membership DOWN, in one change. */
    private boolean markLostReplicasDown() {
        PlacementCommit c = store.update(Reconciler::lostReplicasDown);
        if (c.changed()) {
            log.info("replicas of lost nodes marked DOWN at epoch {}", c.epoch());
        }
        return c.changed();
    }

    /** Drops shards a node holds that the placement does not give it (left over from a repair while it was away). */
    private void cleanOrphansLater(String nodeId) {
        runner.execute(() -> {
            try {
                ClusterSnapshot snap = view.snapshot();
                NodeInfo node = snap.node(nodeId).orElse(null);
                if (node == null || node.getControlPort() <= 0) {
                    return;
                }
                ListShardsResponse held = nodes.listShards(node);
                for (ShardInfo info : held.getShardsList()) {
                    ShardRef ref = new ShardRef(info.getTable(), info.getShard());
                    ClusterSnapshot now = view.snapshot();
                    TablePlacement t = now.table(info.getTable()).orElse(null);
                    boolean placed = t != null && info.getShard() < t.getShardsCount()
                            && PlacementEdits.state(t, info.getShard(), nodeId) != null;
                    if (!placed && !runner.isRunning(ref) && !creating.contains(info.getTable())) {
                        log.info("dropping {} from {}: not placed there", ref, nodeId);
                        nodes.dropShard(node, info.getTable(), info.getShard());
                    }
                }
            } catch (RuntimeException e) {
                log.debug("orphan check of node {} failed: {}", nodeId, e.toString());
            }
        });
    }

    // -----------------------------------------------------------------------------------------

    private void createShards(ClusterSnapshot snap, TableSpec spec, List<ShardPlacement> shards) {
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (ShardPlacement s : shards) {
            for (Replica r : s.getReplicasList()) {
                NodeInfo node = snap.node(r.getNodeId()).orElseThrow();
                calls.add(CompletableFuture.runAsync(() -> nodes.createShard(node, spec, s.getShard()), rpc));
            }
        }
        try {
            Workers.awaitAll(calls);
        } catch (Exception e) {
            dropShards(snap, spec.getName(), shards);
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
        }
    }

    private void dropShards(ClusterSnapshot snap, String table, List<ShardPlacement> shards) {
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (ShardPlacement s : shards) {
            for (Replica r : s.getReplicasList()) {
                snap.node(r.getNodeId()).ifPresent(node -> calls.add(CompletableFuture.runAsync(() -> {
                    try {
                        nodes.dropShard(node, table, s.getShard());
                    } catch (RuntimeException e) {
                        log.info("could not drop {}/{} on {} (a later check drops it): {}", table, s.getShard(), node.getId(), e.getMessage());
                    }
                }, rpc)));
            }
        }
        calls.forEach(CompletableFuture::join);
    }

    /** Waits until the node holds no replica; returns the epoch at which that was seen. */
    private long awaitEmpty(String node) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + config.copyDeadline().toNanos();
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

    /** The view once it has caught up with the stored epoch. */
    private ClusterSnapshot current() throws InterruptedException, TimeoutException {
        return view.awaitEpoch(store.currentEpoch(), Duration.ofSeconds(10));
    }
}
