package io.rayforce.cluster.router.write;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.ColumnSpec;
import io.rayforce.cluster.coordinator.proto.Replica;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.coordinator.proto.ShardReplicas;
import io.rayforce.cluster.coordinator.proto.WriteIntent;
import io.rayforce.cluster.coordinator.proto.WritePhase;
import io.rayforce.cluster.coordinator.store.IntentLostException;
import io.rayforce.cluster.coordinator.store.TableLock;
import io.rayforce.cluster.coordinator.store.WriteIntents;
import io.rayforce.cluster.router.QueryOptions;
import io.rayforce.cluster.router.services.ClusterServices;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One write to one table (docs/architecture.md, Atomic visibility): holds the table's write
 * lock, so no read runs while it does; recovers the table's orphan intents before it starts; and
 * records this write's intent before any shard is touched, deleting it when the write is
 * complete. Closing it without {@link #complete()} hands the intent over to recovery (its owner
 * is deleted, so the next reader or writer of the table resolves it), then releases the lock.
 * Take shard locks after beginning it and close them first; close it on the thread that began it.
 */
final class TableWrite implements AutoCloseable {
    private final ClusterServices services;
    private final TableLock lock;
    private final TableLock reads;
    private WriteIntents.Stored intent;
    private boolean settled;

    private TableWrite(ClusterServices services, TableLock lock, TableLock reads) {
        this.services = services;
        this.lock = lock;
        this.reads = reads;
    }

    /**
     * Takes the table's write lock and recovers the orphan intents it finds. While ZooKeeper is
     * unreachable it waits, at most the write's timeout, then fails saying nothing was written.
     *
     * @param planned the table's spec the write was planned with (its rows split by shard)
     * @throws LayoutChangedError when the table was resharded since: nothing was written, plan it again
     */
    static TableWrite begin(WriteKit kit, TableSpec planned, QueryOptions options, String what) {
        String table = planned.getName();
        ClusterServices services = kit.services(what);
        awaitZooKeeper(services, options, what);
        TableLock lock = services.lockTable(table, WriteKit.timeout(options), what);
        try {
            // a reshard changes the layout only under this lock: the placement as of now is the one to write with
            TableSpec now = LockedShards.caughtUp(services, kit.placement, WriteKit.timeout(options), what).table(table)
                    .map(TablePlacement::getSpec).orElse(null);
            if (now != null && now.getCreatedEpoch() == planned.getCreatedEpoch() && now.getShardCount() != planned.getShardCount()) {
                throw new LayoutChangedError(what + ": table " + table + " was resharded from " + planned.getShardCount() + " to "
                        + now.getShardCount() + " shards while the write waited for its lock");
            }
            kit.recovery.recoverAll(table, options, what);
            // the write's own reads of the table (an update's aggregates) take no read lock: it holds the write lock
            return new TableWrite(services, lock, kit.readLocks.writing(table));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Waits for ZooKeeper up to the write's timeout ({@link ClusterServices#awaitZooKeeper}); fails
     * saying nothing was written when it stayed away.
     */
    static void awaitZooKeeper(ClusterServices services, QueryOptions options, String what) {
        if (!services.awaitZooKeeper(WriteKit.timeout(options))) {
            throw new WriteFailedError(what + " failed: ZooKeeper could not be reached within the write's timeout of "
                    + WriteKit.timeout(options).toMillis() + " ms (a write needs it for its locks and intent); nothing was written");
        }
    }

    /**
     * Records the intent (PREPARED, with the writer's id), listing the shards and the nodes of
     * their writable replicas at {@code snapshot}; the stored intent has its staging suffix.
     */
    WriteIntent record(WriteIntent.Builder b, ClusterSnapshot snapshot, Collection<Integer> shards) {
        for (int shard : shards) {
            ShardReplicas.Builder sr = ShardReplicas.newBuilder().setShard(shard);
            for (Replica r : snapshot.shard(b.getTable(), shard).getReplicasList()) {
                if (ReplicaWrites.writable(r)) {
                    sr.addNodes(r.getNodeId());
                }
            }
            b.addShards(sr);
        }
        intent = services.intents().create(b.setPhase(WritePhase.PREPARED).setRouterId(services.routerId()).build());
        return intent.intent();
    }

    /**
     * Marks the intent COMMITTED with the replicas that staged each shard: from now on recovery
     * finishes the write instead of undoing it, adding {@code added} to the table's spec last.
     *
     * @throws io.rayforce.cluster.coordinator.store.IntentLostException when this writer's session ended
     */
    WriteIntent commit(Map<Integer, List<String>> staged, List<ColumnSpec> added) {
        WriteIntent.Builder b = intent.intent().toBuilder().setPhase(WritePhase.COMMITTED).clearStaged()
                .clearAddedColumns().addAllAddedColumns(added);
        staged.forEach((shard, nodes) -> b.addStaged(ShardReplicas.newBuilder().setShard(shard).addAllNodes(nodes)));
        intent = services.intents().update(intent, b.build());
        return intent.intent();
    }

    /**
     * The write is complete (acknowledged, or cleanly undone): deletes the intent.
     *
     * @throws IntentLostException when this writer's session ended meanwhile, so recovery decides
     *         (or decided) the write's outcome; on other failures the intent is left to recovery
     *         when this is closed
     */
    void complete() {
        if (intent != null) {
            try {
                services.intents().complete(intent);
            } catch (IntentLostException e) {
                settled = true;
                throw e;
            }
        }
        settled = true;
    }

    /** Leaves the intent to recovery: deletes its owner, so the next reader or writer of the table resolves it. */
    void abandon() {
        settled = true;
        if (intent != null) {
            services.intents().abandon(intent);
        }
    }

    @Override
    public void close() {
        try {
            if (!settled) {
                abandon();
            }
        } finally {
            reads.close();
            lock.close();
        }
    }
}
