package io.rayforce.cluster.coordinator.placement;

import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.ShardPlacement;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Pure repair decisions of the placement leader's reconcile loop: from the cluster snapshot, what
 * the loop remembers of earlier passes, the shards that have a task running or are backing off,
 * and the time, what to do now. No I/O; the loop carries the decisions out.
 *
 * <p>First, the replicas of nodes that left membership (LIVE, COPYING or STALE) become DOWN, all
 * in one change ({@link #lostReplicasDown}); the loop does nothing else in a pass that changed
 * that. Then, per shard that has no task running and no backoff pending, at most one action, for
 * the first replica that needs one:
 * <ul>
 *   <li>DROPPING: dropped from its node, or just removed when the node is gone;
 *   <li>STALE or COPYING on a member: re-filled in place;
 *   <li>DOWN: re-filled in place when its node is back; otherwise, once the repair grace has
 *       passed since the loop first saw it DOWN, re-created on another node
 *       ({@link PlacementPlanner#repairTarget}), or just removed for a table replicated to all;
 *   <li>then, a replica on a draining node: moved to another node (retired, for a table
 *       replicated to all);
 *   <li>then, for a table replicated to all: a new replica on the first eligible node without one;
 *   <li>then, for a sharded table whose shard has fewer replicas (not DROPPING) than the table's
 *       replication factor: a new one ({@link PlacementPlanner#repairTarget}); with more: one
 *       retired, a DOWN one first (removed), else the LIVE one on the node with the most
 *       replicas of the table, then of all tables, then the largest id (a replication change).
 * </ul>
 * A STALE replica of a shard without any LIVE replica, which became STALE at the epoch the
 * table's spec last changed, is one a reshard made and did not swap in yet: it is finished
 * ({@link Kind#FINISH_SPLIT}) instead of re-filled.
 * A shard that needs a new replica no node can take is reported {@link Stuck} (the loop backs
 * off on it).
 */
public final class Reconciler {
    private static final Set<ReplicaState> LOSABLE = Set.of(ReplicaState.LIVE, ReplicaState.COPYING, ReplicaState.STALE);

    private final long repairGraceNanos;

    /** @param repairGrace how long a lost node's replica stays DOWN before it is re-created elsewhere */
    public Reconciler(Duration repairGrace) {
        this.repairGraceNanos = repairGrace.toNanos();
    }

    /** What an action does; each is one of {@code server.ShardMover}'s procedures. */
    public enum Kind {
        /** Drop a DROPPING replica from its node, then remove it. */
        DROP("drop"),
        /** Remove a DROPPING replica whose node is gone. */
        REMOVE_DROPPING("remove"),
        /** Remove a DOWN replica of a table replicated to all (its node is gone past the grace). */
        REMOVE_DOWN("remove"),
        /** Copy a STALE, COPYING or returning DOWN replica again in place. */
        REFILL("re-fill"),
        /** Add a replica on {@code target} in place of a DOWN one past the grace. */
        REPAIR("repair"),
        /** Add a replica on {@code target} in place of the one on a draining node. */
        DRAIN_MOVE("drain move"),
        /** Mark the replica on a draining node DROPPING (a table replicated to all). */
        RETIRE("retire"),
        /** Add a replica on {@code target}, an eligible node without one (a table replicated to all, or a shard below its replication factor). */
        REPLICATE("replicate"),
        /** Swap a reshard's staging table in on the node and mark the replica LIVE. */
        FINISH_SPLIT("finish split");

        private final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /**
     * One task for one shard.
     *
     * @param node the replica it is about (for REPAIR and DRAIN_MOVE the one replaced); null for REPLICATE
     * @param target the node that gets a new replica (REPAIR, DRAIN_MOVE, REPLICATE), else null
     */
    public record Action(Kind kind, ShardRef shard, String node, String target) {
        /** The task's name in the log. */
        public String what() {
            return kind == Kind.REPLICATE ? "replicate to " + target : kind.label;
        }
    }

    /** A shard that needs a new replica no eligible node can take. */
    public record Stuck(ShardRef shard, String why) {
    }

    /** A DOWN replica of a node that is not a member: the key of the grace clock. */
    public record DownReplica(ShardRef shard, String node) {
    }

    /**
     * One pass's decisions.
     *
     * @param actions at most one per shard
     * @param stuck shards to back off on
     * @param wakeAt when the next pass is due ({@link System#nanoTime()} terms: a grace or a
     *     backoff ends), if anything waits
     * @param downSince the grace clocks to remember for the next pass: since when each DOWN
     *     replica of a non-member has been seen DOWN
     */
    public record Decision(List<Action> actions, List<Stuck> stuck, OptionalLong wakeAt, Map<DownReplica, Long> downSince) {
    }

    /** The members of {@code snap} that are not in {@code known}, in snapshot order. */
    public static List<String> joined(ClusterSnapshot snap, Set<String> known) {
        return snap.nodes().keySet().stream().filter(id -> !known.contains(id)).toList();
    }

    /** Whether a LIVE, COPYING or STALE replica sits on a node that is not a member. */
    public static boolean hasLostReplicas(ClusterSnapshot snap) {
        return snap.tables().values().stream().flatMap(t -> t.getShardsList().stream())
                .flatMap(s -> s.getReplicasList().stream())
                .anyMatch(r -> LOSABLE.contains(r.getState()) && snap.node(r.getNodeId()).isEmpty());
    }

    /**
     * The placement change that marks every LIVE, COPYING or STALE replica of a node that is not
     * a member DOWN: the changed tables (none when there is nothing to mark).
     */
    public static List<TablePlacement> lostReplicasDown(ClusterSnapshot snap) {
        List<TablePlacement> out = new ArrayList<>();
        for (TablePlacement t : snap.tables().values()) {
            TablePlacement.Builder b = t.toBuilder();
            boolean changed = false;
            for (ShardPlacement.Builder sp : b.getShardsBuilderList()) {
                for (Replica.Builder r : sp.getReplicasBuilderList()) {
                    if (LOSABLE.contains(r.getState()) && snap.node(r.getNodeId()).isEmpty()) {
                        r.setState(ReplicaState.DOWN);
                        changed = true;
                    }
                }
            }
            if (changed) {
                out.add(b.build());
            }
        }
        return out;
    }

    /**
     * The actions of one pass (see the class comment).
     *
     * @param downSince the grace clocks the previous pass returned (empty at first)
     * @param running shards with a task running: left alone
     * @param retryAt when backed-off shards may be looked at again: left alone until then
     * @param now the time of the pass, {@link System#nanoTime()}
     */
    public Decision decide(ClusterSnapshot snap, Map<DownReplica, Long> downSince, Set<ShardRef> running,
            Map<ShardRef, Long> retryAt, long now) {
        Pass pass = new Pass(snap, now);
        Map<DownReplica, Long> down = new HashMap<>();
        long wake = Long.MAX_VALUE;
        for (TablePlacement t : snap.tables().values()) {
            for (ShardPlacement s : t.getShardsList()) {
                ShardRef ref = new ShardRef(t.getSpec().getName(), s.getShard());
                for (Replica r : s.getReplicasList()) {
                    if (r.getState() == ReplicaState.DOWN && snap.node(r.getNodeId()).isEmpty()) {
                        DownReplica key = new DownReplica(ref, r.getNodeId());
                        down.put(key, downSince.getOrDefault(key, now));
                    }
                }
                if (running.contains(ref)) {
                    continue;
                }
                Long retry = retryAt.get(ref);
                if (retry != null && retry - now > 0) {
                    wake = Math.min(wake, retry);
                    continue;
                }
                wake = Math.min(wake, pass.shard(t, s, ref, down));
            }
        }
        return new Decision(List.copyOf(pass.actions), List.copyOf(pass.stuck),
                wake == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(wake), Map.copyOf(down));
    }

    /** The decisions of one pass as they are made. */
    private final class Pass {
        private final ClusterSnapshot snap;
        private final long now;
        private final List<String> eligible;
        private final List<Action> actions = new ArrayList<>();
        private final List<Stuck> stuck = new ArrayList<>();

        Pass(ClusterSnapshot snap, long now) {
            this.snap = snap;
            this.now = now;
            this.eligible = PlacementPlanner.eligibleNodes(snap);
        }

        /** Decides at most one action for the shard; returns when it next needs a look (or MAX_VALUE). */
        long shard(TablePlacement t, ShardPlacement s, ShardRef ref, Map<DownReplica, Long> downSince) {
            boolean toAll = t.getSpec().getReplicatedToAll();
            for (Replica r : s.getReplicasList()) {
                String node = r.getNodeId();
                boolean member = snap.node(node).isPresent();
                switch (r.getState()) {
                    case DROPPING -> {
                        act(member ? Kind.DROP : Kind.REMOVE_DROPPING, ref, node, null);
                        return Long.MAX_VALUE;
                    }
                    case STALE, COPYING -> {
                        if (member && r.getState() == ReplicaState.STALE && unswappedSplit(t, s, r)) {
                            act(Kind.FINISH_SPLIT, ref, node, null);
                            return Long.MAX_VALUE;
                        }
                        if (member) {
                            act(Kind.REFILL, ref, node, null);
                            return Long.MAX_VALUE;
                        }
                    }
                    case DOWN -> {
                        if (member) {
                            act(Kind.REFILL, ref, node, null);
                            return Long.MAX_VALUE;
                        }
                        if (!toAll && PlacementPlanner.holders(s).size() > t.getSpec().getReplicationFactor()) {
                            act(Kind.REMOVE_DOWN, ref, node, null); // the shard has more than it needs
                            return Long.MAX_VALUE;
                        }
                        long due = downSince.get(new DownReplica(ref, node)) + repairGraceNanos;
                        if (due - now > 0) {
                            return due;
                        }
                        if (toAll) {
                            act(Kind.REMOVE_DOWN, ref, node, null);
                        } else {
                            replace(Kind.REPAIR, ref, node, "no node can take a new replica of " + ref + " (lost with " + node + ")");
                        }
                        return Long.MAX_VALUE;
                    }
                    default -> {
                        // LIVE: nothing to repair
                    }
                }
            }
            // draining nodes give their replicas away
            for (Replica r : s.getReplicasList()) {
                NodeInfo holder = snap.nodes().get(r.getNodeId());
                if (holder != null && holder.getDraining()) {
                    if (toAll) {
                        act(Kind.RETIRE, ref, holder.getId(), null);
                    } else {
                        replace(Kind.DRAIN_MOVE, ref, holder.getId(), "no node can take " + ref + " off draining node " + holder.getId());
                    }
                    return Long.MAX_VALUE;
                }
            }
            if (toAll) {
                Set<String> holders = PlacementPlanner.holders(s);
                for (String n : eligible) {
                    if (!holders.contains(n)) {
                        act(Kind.REPLICATE, ref, null, n);
                        return Long.MAX_VALUE;
                    }
                }
                return Long.MAX_VALUE;
            }
            int rf = t.getSpec().getReplicationFactor();
            int holders = PlacementPlanner.holders(s).size();
            if (holders < rf) {
                Optional<String> target = PlacementPlanner.repairTarget(snap, ref.table(), ref.shard(), eligible);
                if (target.isEmpty()) {
                    stuck.add(new Stuck(ref, "no node can take another replica of " + ref + " (replication " + rf + ")"));
                } else {
                    act(Kind.REPLICATE, ref, null, target.get());
                }
            } else if (holders > rf) {
                act(Kind.RETIRE, ref, PlacementPlanner.retireVictim(snap, t, s), null);
            }
            return Long.MAX_VALUE;
        }

        /** A STALE replica a reshard left: the shard has no LIVE replica and it became STALE when the spec changed. */
        private boolean unswappedSplit(TablePlacement t, ShardPlacement s, Replica r) {
            long specEpoch = t.getSpec().getSpecEpoch();
            return specEpoch > 0 && r.getSinceEpoch() == specEpoch
                    && s.getReplicasList().stream().noneMatch(x -> x.getState() == ReplicaState.LIVE);
        }

        /** A new replica in place of the one on {@code node}, or the shard is stuck when no node can take it. */
        private void replace(Kind kind, ShardRef ref, String node, String whyStuck) {
            Optional<String> target = PlacementPlanner.repairTarget(snap, ref.table(), ref.shard(), eligible);
            if (target.isEmpty()) {
                stuck.add(new Stuck(ref, whyStuck));
            } else {
                act(kind, ref, node, target.get());
            }
        }

        private void act(Kind kind, ShardRef ref, String node, String target) {
            actions.add(new Action(kind, ref, node, target));
        }
    }
}
