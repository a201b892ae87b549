package io.rayforce.cluster.coordinator.server;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.placement.PlacementException;
import io.rayforce.cluster.coordinator.placement.PlacementPlanner;
import io.rayforce.cluster.coordinator.proto.ReplicaState;
import io.rayforce.cluster.coordinator.proto.SetReplicationRequest;
import io.rayforce.cluster.coordinator.proto.SetReplicationResponse;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.DdlLocks;
import io.rayforce.cluster.coordinator.store.NoSuchTableException;
import io.rayforce.cluster.coordinator.store.PlacementCommit;
import io.rayforce.cluster.coordinator.store.PlacementStore;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A table's replication factor changed online: the new factor is written into the table's spec at
 * one epoch ({@link PlacementStore#replaceTable}), and the reconcile loop then brings every shard
 * to it with its usual procedures ({@code Reconciler}: a shard below the factor gets a replica
 * copied onto the least loaded node, one above it retires a replica, which is dropped once every
 * router has stopped reading it). So a leader that takes over mid-way carries on, and no shard
 * ever has fewer LIVE replicas than the smaller of its old and new factor.
 */
final class ReplicationChanges {
    private final PlacementStore store;
    private final Duration wait;

    /** @param wait how long a change with {@code wait} waits for every shard to reach the factor */
    ReplicationChanges(PlacementStore store, Duration wait) {
        this.store = store;
        this.wait = wait;
    }

    /**
     * @throws NoSuchTableException when there is no such table
     * @throws IllegalArgumentException for a factor below 1
     * @throws PlacementException for a table replicated to every node, or a factor above the nodes that can take shards
     */
    @SuppressWarnings("try") // the table name's lock is held for the block
    SetReplicationResponse set(SetReplicationRequest req) throws Exception {
        String name = req.getTable();
        int rf = req.getReplicationFactor();
        if (rf < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, got " + rf);
        }
        PlacementCommit c;
        int change;
        try (DdlLocks.Held held = store.lockTable(name)) {
            ClusterSnapshot snap = store.currentSnapshot();
            TablePlacement t = snap.table(name).orElseThrow(() -> new NoSuchTableException("no table " + name));
            if (t.getSpec().getReplicatedToAll()) {
                throw new PlacementException("table " + name + " is replicated to every node: it has no replication factor to set");
            }
            int eligible = PlacementPlanner.eligibleNodes(snap).size();
            if (rf > eligible) {
                throw new PlacementException("replication factor " + rf + " exceeds the " + eligible + " nodes that can take shards");
            }
            change = (rf - t.getSpec().getReplicationFactor()) * t.getSpec().getShardCount();
            c = store.replaceTable(name, p -> p.getSpec().getReplicationFactor() == rf ? p
                    : p.toBuilder().setSpec(p.getSpec().toBuilder().setReplicationFactor(rf)).build());
        }
        long epoch = req.getWait() ? awaitReplicas(name, rf, c.epoch()) : c.epoch();
        return SetReplicationResponse.newBuilder().setEpoch(epoch).setReplicaChange(change).build();
    }

    /** Waits until every shard has exactly {@code rf} replicas, all LIVE; returns the epoch it was seen at. */
    private long awaitReplicas(String name, int rf, long changedAt) throws InterruptedException, TimeoutException {
        ClusterView view = store.view();
        long deadline = System.nanoTime() + wait.toNanos();
        view.awaitEpoch(changedAt, wait);
        while (true) {
            ClusterSnapshot snap = view.snapshot();
            TablePlacement t = snap.table(name).orElseThrow(() -> new NoSuchTableException("table " + name + " was dropped"));
            if (t.getSpec().getReplicationFactor() != rf) {
                throw new PlacementException("the replication factor of " + name + " was changed again meanwhile");
            }
            if (t.getShardsList().stream().allMatch(s -> s.getReplicasCount() == rf
                    && s.getReplicasList().stream().allMatch(r -> r.getState() == ReplicaState.LIVE))) {
                return snap.epoch();
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("table " + name + " has not reached " + rf + " LIVE replicas per shard");
            }
            try {
                view.awaitEpoch(snap.epoch() + 1, Duration.ofSeconds(1));
            } catch (TimeoutException e) {
                // look again
            }
        }
    }
}
