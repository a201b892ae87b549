package io.rayforce.cluster.coordinator.server;

import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.placement.PlacementEdits;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.store.NodeCommands;
import io.rayforce.cluster.coordinator.store.PlacementCommit;
import io.rayforce.cluster.coordinator.store.PlacementStore;
import io.rayforce.cluster.coordinator.store.RouterBarrier;
import io.rayforce.cluster.coordinator.store.ShardLock;
import io.rayforce.cluster.coordinator.store.ShardLocks;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's per-shard procedures. Each copy runs under the shard's lock and in epochs: the new
 * replica is COPYING while the target node copies it from a LIVE replica, then LIVE; the leader
 * waits until every router has applied that epoch before it releases the lock, so the next write
 * reaches the new replica too. Every step re-checks the current placement (a concurrent change
 * makes it a no-op).
 */
final class ShardMover {
    private static final Logger log = LoggerFactory.getLogger(ShardMover.class);
    private static final Set<ReplicaState> REFILLABLE = Set.of(ReplicaState.STALE, ReplicaState.DOWN, ReplicaState.COPYING);

    private final PlacementStore store;
    private final ShardLocks locks;
    private final NodeCommands nodes;
    private final RouterBarrier routers;
    private final Duration routerWait;
    private final Duration lockTimeout;

    ShardMover(PlacementStore store, ShardLocks locks, NodeCommands nodes, RouterBarrier routers, Duration routerWait,
            Duration lockTimeout) {
        this.store = store;
        this.locks = locks;
        this.nodes = nodes;
        this.routers = routers;
        this.routerWait = routerWait;
        this.lockTimeout = lockTimeout;
    }

    /**
     * Re-fills a replica in place from a LIVE one: a STALE replica, a DOWN replica whose node came
     * back, or a COPYING one a previous leader left. With no LIVE replica anywhere, a returning DOWN
     * replica that went down last (so missed no acknowledged write) becomes LIVE as it is.
     *
     * @return the bytes copied (0 when nothing was)
     */
    long refill(String table, int shard, String node) throws Exception {
        awaitAnswer(node, "re-fill " + table + "/" + shard);
        try (ShardLock lock = locks.lock(table, shard, lockTimeout)) {
            ClusterSnapshot snap = store.currentSnapshot();
            TablePlacement t = snap.table(table).orElse(null);
            ReplicaState state = t == null ? null : PlacementEdits.state(t, shard, node);
            Optional<NodeInfo> target = snap.node(node);
            if (state == null || !REFILLABLE.contains(state) || target.isEmpty()) {
                return 0;
            }
            Optional<NodeInfo> source = liveSource(snap, t, shard, node);
            if (source.isEmpty()) {
                if (state == ReplicaState.DOWN && wentDownLast(t, shard, node)) {
                    long epoch = change(table, p -> PlacementEdits.state(p, shard, node) == ReplicaState.DOWN
                            ? PlacementEdits.withReplica(p, shard, node, ReplicaState.LIVE) : p);
                    log.info("{}/{}: replica on returning node {} had no acknowledged write to miss; LIVE again at epoch {}",
                            table, shard, node, epoch);
                    awaitRouters(epoch);
                    return 0;
                }
                // back off (the task fails) rather than be asked again at once
                throw new IllegalStateException("no LIVE replica to re-fill the " + state + " replica of " + table + "/" + shard
                        + " on " + node + " from");
            }
            change(table, p -> REFILLABLE.contains(PlacementEdits.state(p, shard, node))
                    ? PlacementEdits.withReplica(p, shard, node, ReplicaState.COPYING) : p);
            long copied;
            try {
                copied = nodes.copyShard(target.get(), t.getSpec(), shard, source.get()).getBytes();
            } catch (RuntimeException e) {
                change(table, p -> PlacementEdits.state(p, shard, node) == ReplicaState.COPYING
                        ? PlacementEdits.withReplica(p, shard, node, ReplicaState.STALE) : p);
                throw e;
            }
            long epoch = change(table, p -> PlacementEdits.state(p, shard, node) == ReplicaState.COPYING
                    ? PlacementEdits.withReplica(p, shard, node, ReplicaState.LIVE) : p);
            if (!placedAfterCopy(target.get(), table, shard)) {
                return copied;
            }
            log.info("{}/{}: re-filled on {} from {}; LIVE at epoch {}", table, shard, node, source.get().getId(), epoch);
            awaitRouters(epoch);
            return copied;
        }
    }

    /**
     * Adds a replica on {@code targetNode} copied from a LIVE one, then retires {@code replacing}
     * (null for none): a DOWN replica is removed in the same epoch the new one becomes LIVE; any
     * other becomes DROPPING, is dropped from its node, then removed.
     *
     * @return the bytes copied (0 when nothing was)
     */
    long add(String table, int shard, String targetNode, String replacing) throws Exception {
        long retired;
        long copied;
        awaitAnswer(targetNode, "copy " + table + "/" + shard);
        try (ShardLock lock = locks.lock(table, shard, lockTimeout)) {
            ClusterSnapshot snap = store.currentSnapshot();
            TablePlacement t = snap.table(table).orElse(null);
            Optional<NodeInfo> target = snap.node(targetNode);
            if (t == null || target.isEmpty() || PlacementEdits.state(t, shard, targetNode) != null
                    || (replacing != null && PlacementEdits.state(t, shard, replacing) == null)) {
                return 0;
            }
            Optional<NodeInfo> source = liveSource(snap, t, shard, targetNode);
            if (source.isEmpty()) {
                throw new IllegalStateException("no LIVE replica of " + table + "/" + shard + " to copy onto " + targetNode);
            }
            change(table, p -> PlacementEdits.state(p, shard, targetNode) == null
                    ? PlacementEdits.withReplica(p, shard, targetNode, ReplicaState.COPYING) : p);
            try {
                copied = nodes.copyShard(target.get(), t.getSpec(), shard, source.get()).getBytes();
            } catch (RuntimeException e) {
                change(table, p -> PlacementEdits.state(p, shard, targetNode) == ReplicaState.COPYING
                        ? PlacementEdits.without(p, shard, targetNode) : p);
                dropQuietly(target.get(), table, shard);
                throw e;
            }
            retired = change(table, p -> {
                if (PlacementEdits.state(p, shard, targetNode) != ReplicaState.COPYING) {
                    return p;
                }
                TablePlacement next = PlacementEdits.withReplica(p, shard, targetNode, ReplicaState.LIVE);
                ReplicaState was = replacing == null ? null : PlacementEdits.state(next, shard, replacing);
                if (was == ReplicaState.DOWN) {
                    next = PlacementEdits.without(next, shard, replacing);
                } else if (was != null) {
                    next = PlacementEdits.withReplica(next, shard, replacing, ReplicaState.DROPPING);
                }
                return next;
            });
            if (!placedAfterCopy(target.get(), table, shard)) {
                return copied;
            }
            log.info("{}/{}: new replica on {} (copied from {}) LIVE at epoch {}{}", table, shard, targetNode,
                    source.get().getId(), retired, replacing == null ? "" : ", replacing the one on " + replacing);
            awaitRouters(retired);
        }
        if (replacing != null) {
            drop(table, shard, replacing);
        }
        return copied;
    }

    /**
     * Drops a DROPPING replica from its node (when the node is a member), once every router has
     * applied the epoch it became DROPPING at (so no read still goes to it), and removes it. Under
     * the shard's lock: a router's write lease of the table holds every shard lock and lets them go
     * only with every group it placed committed or left to recovery, so no group planned before
     * the replica became DROPPING still reaches it while it goes (such a group met the engine's
     * {@code domain} and left its lease to a recovery that committed its rows twice into a replica
     * later copied back onto the node, docs/chaos.md).
     */
    void drop(String table, int shard, String node) throws Exception {
        try (ShardLock lock = locks.lock(table, shard, lockTimeout)) {
            ClusterSnapshot snap = store.currentSnapshot();
            TablePlacement t = snap.table(table).orElse(null);
            if (t == null || PlacementEdits.state(t, shard, node) != ReplicaState.DROPPING) {
                return;
            }
            Optional<NodeInfo> holder = snap.node(node);
            if (holder.isPresent()) {
                awaitRouters(PlacementEdits.replica(t, shard, node).orElseThrow().getSinceEpoch());
                nodes.dropShard(holder.get(), table, shard);
            }
            change(table, p -> PlacementEdits.state(p, shard, node) == ReplicaState.DROPPING ? PlacementEdits.without(p, shard, node) : p);
        }
    }

    /**
     * Finishes a reshard's new replica the resharder did not swap in (it failed, or its leader
     * died): swaps the node's staging table in and marks the replica LIVE, under the shard lock.
     * Only for a STALE replica of a shard with no LIVE replica that became STALE when the spec
     * last changed (the reshard's switch): no write can have reached the shard since.
     */
    void finishSplit(String table, int shard, String node) throws Exception {
        try (ShardLock lock = locks.lock(table, shard, lockTimeout)) {
            ClusterSnapshot snap = store.currentSnapshot();
            TablePlacement t = snap.table(table).orElse(null);
            Optional<NodeInfo> holder = snap.node(node);
            if (t == null || holder.isEmpty() || !unswapped(t, shard, node)) {
                return;
            }
            long rows = nodes.swapSplit(holder.get(), table, shard, false);
            long epoch = change(table, p -> unswapped(p, shard, node) ? PlacementEdits.withReplica(p, shard, node, ReplicaState.LIVE) : p);
            log.info("{}/{}: reshard finished on {} ({}); LIVE at epoch {}", table, shard, node,
                    rows < 0 ? "swapped before" : rows + " rows", epoch);
            awaitRouters(epoch);
        }
    }

    private static boolean unswapped(TablePlacement t, int shard, String node) {
        Replica r = PlacementEdits.replica(t, shard, node).orElse(null);
        return r != null && r.getState() == ReplicaState.STALE && t.getSpec().getSpecEpoch() > 0
                && r.getSinceEpoch() == t.getSpec().getSpecEpoch()
                && t.getShards(shard).getReplicasList().stream().noneMatch(x -> x.getState() == ReplicaState.LIVE);
    }

    /** Marks a replica DROPPING (a later pass drops it). */
    void retire(String table, int shard, String node) {
        change(table, p -> {
            ReplicaState s = PlacementEdits.state(p, shard, node);
            return s != null && s != ReplicaState.DROPPING ? PlacementEdits.withReplica(p, shard, node, ReplicaState.DROPPING) : p;
        });
    }

    /** Removes a replica outright (its node is gone, so there is nothing to drop). */
    void remove(String table, int shard, String node, Set<ReplicaState> ifIn) {
        change(table, p -> ifIn.contains(PlacementEdits.state(p, shard, node)) ? PlacementEdits.without(p, shard, node) : p);
    }

    // -----------------------------------------------------------------------------------------

    /** How long a copy's target has to answer before the shard's lock is taken. */
    static final Duration TARGET_ANSWER = Duration.ofSeconds(2);

    /**
     * Fails (the task backs off) when the node a copy goes to does not answer: the shard's lock
     * would otherwise be held while the copy waits for its deadline, and every write of the table
     * with it (a node killed without a word: its replicas go STALE at once, it is found lost only
     * when its ZooKeeper session expires, and a re-fill onto it held a ledger table's shard for
     * 30 s in a chaos run, so reads behind the writes timed out).
     */
    private void awaitAnswer(String node, String what) throws InterruptedException, TimeoutException {
        Optional<NodeInfo> target = store.currentSnapshot().node(node);
        if (target.isPresent() && !nodes.answers(target.get(), TARGET_ANSWER)) {
            throw new IllegalStateException(what + " onto " + node + " put off: the node does not answer");
        }
    }

    /** Applies an edit of one table; returns the epoch after it (the current one when nothing changed). */
    private long change(String table, UnaryOperator<TablePlacement> edit) {
        PlacementCommit c = store.update(snap -> snap.table(table).map(t -> {
            TablePlacement next = edit.apply(t);
            return next.equals(t) ? List.<TablePlacement>of() : List.of(next);
        }).orElse(List.of()));
        return c.epoch();
    }

    private void awaitRouters(long epoch) throws InterruptedException {
        if (!routers.awaitRoutersAt(epoch, routerWait)) {
            log.warn("routers {} have not applied epoch {} after {} ms", routers.behind(epoch), epoch, routerWait.toMillis());
        }
    }

    /**
     * After a copy onto {@code node}: whether the placement still gives the node that shard. When
     * it does not (the table was dropped, or dropped and created again without it, or the replica
     * was removed during the copy), the copy is nobody's: a drop sent while it ran came before it
     * finished, and the orphan sweep leaves shards alone while their task runs, so it is dropped
     * here.
     */
    private boolean placedAfterCopy(NodeInfo node, String table, int shard) throws Exception {
        if (OrphanShards.placed(store.currentSnapshot(), new ShardRef(table, shard), node.getId())) {
            return true;
        }
        log.info("{}/{}: the copy on {} is no longer placed there (the table was dropped or the replica removed meanwhile); "
                + "dropping it", table, shard, node.getId());
        dropQuietly(node, table, shard);
        return false;
    }

    private void dropQuietly(NodeInfo node, String table, int shard) {
        try {
            nodes.dropShard(node, table, shard);
        } catch (RuntimeException e) {
            log.debug("dropping the copy of {}/{} on {}: {}", table, shard, node.getId(), e.toString());
        }
    }

    /** A member holding a LIVE replica of the shard, other than {@code except}. */
    static Optional<NodeInfo> liveSource(ClusterSnapshot snap, TablePlacement t, int shard, String except) {
        for (Replica r : t.getShards(shard).getReplicasList()) {
            if (r.getState() == ReplicaState.LIVE && !r.getNodeId().equals(except) && snap.node(r.getNodeId()).isPresent()) {
                return snap.node(r.getNodeId());
            }
        }
        return Optional.empty();
    }

    /** True when no LIVE replica exists and the replica on {@code node} went DOWN no earlier than any other replica left LIVE. */
    static boolean wentDownLast(TablePlacement t, int shard, String node) {
        Replica mine = PlacementEdits.replica(t, shard, node).orElseThrow();
        for (Replica r : t.getShards(shard).getReplicasList()) {
            if (r.getState() == ReplicaState.LIVE) {
                return false;
            }
            if (!r.getNodeId().equals(node) && r.getState() != ReplicaState.DROPPING && r.getSinceEpoch() > mine.getSinceEpoch()) {
                return false;
            }
        }
        return true;
    }
}
