package io.rayforce.cluster.coordinator.server;

import io.rayforce.cluster.coordinator.placement.Reconciler;
import io.rayforce.cluster.coordinator.store.ClusterView;
import io.rayforce.cluster.coordinator.store.NodeCommands;
import io.rayforce.cluster.coordinator.store.PlacementStore;
import io.rayforce.cluster.coordinator.store.RouterBarrier;
import io.rayforce.cluster.coordinator.store.ShardLocks;
import io.rayforce.cluster.coordinator.store.TableLocks;
import io.rayforce.cluster.coordinator.store.WriteIntents;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;

/**
 * The placement leader: what a coordinator runs while its {@code LeaderLatch} makes it the
 * leader ({@link Coordinator} starts one on {@code isLeader} and closes it on {@code notLeader}).
 * It wires the leader's parts together and gives them one lifecycle:
 * <ul>
 *   <li>{@link DdlHandler}: create and drop table;
 *   <li>{@link MoveRequests}: drain and rebalance (on request, and automatic when a node starts taking shards);
 *   <li>{@link ReplicaFailures}: replica failures routers report;
 *   <li>{@link ReplicationChanges}: a table's replication factor changed (the loop converges);
 *   <li>{@link ColumnChanges}: columns an update added to a table;
 *   <li>{@link Resharder}: a table split into more shards;
 *   <li>{@link ReconcileLoop}: reacts to every snapshot with the {@link Reconciler}'s repairs;
 *   <li>{@link TaskRunner}: runs the shard tasks of all of them ({@link ShardMover}'s
 *       procedures), one per shard at a time, with backoff;
 *   <li>{@link OrphanShards}: drops shards a joining node holds that are not placed there;
 *   <li>{@link ProgressBoard}: how far the drains, rebalances and repairs have got.
 * </ul>
 *
 * <p>Every write goes through a store fenced by this coordinator's leader latch znode, so a
 * coordinator that has lost leadership cannot change placement.
 */
final class PlacementLeader implements AutoCloseable {
    private static final Duration SHARD_LOCK_WAIT = Duration.ofSeconds(60);

    private final TaskRunner runner;
    private final DdlHandler ddl;
    private final MoveRequests moves;
    private final ReplicaFailures failures;
    private final ReplicationChanges replication;
    private final ColumnChanges columns;
    private final Resharder resharder;
    private final ReconcileLoop loop;
    private final ProgressBoard progress = new ProgressBoard();

    PlacementLeader(CoordinatorConfig config, ClusterView view, PlacementStore fencedStore, ShardLocks locks,
            NodeCommands nodes, RouterBarrier routers, CuratorFramework curator) {
        ShardMover mover = new ShardMover(fencedStore, locks, nodes, routers, config.routerWait(), SHARD_LOCK_WAIT);
        this.runner = new TaskRunner(config.workers(), this::lookAgainIn);
        this.ddl = new DdlHandler(fencedStore, nodes, routers, config.routerWait());
        this.moves = new MoveRequests(fencedStore, mover, runner, progress, config.copyDeadline());
        this.failures = new ReplicaFailures(fencedStore, routers, config.routerWait());
        this.replication = new ReplicationChanges(fencedStore, config.copyDeadline());
        this.columns = new ColumnChanges(fencedStore, routers, config.routerWait());
        this.resharder = new Resharder(fencedStore, nodes, runner, routers, new TableLocks(curator), new WriteIntents(curator),
                config.routerWait(), config.routerWait());
        OrphanShards orphans = new OrphanShards(view, nodes, runner::isRunning, ddl::isCreating);
        this.loop = new ReconcileLoop(view, fencedStore, new Reconciler(config.repairGrace()), runner, mover, orphans, progress,
                config.autoRebalance() ? moves::rebalanceNow : null);
    }

    void start() {
        loop.start();
    }

    DdlHandler ddl() {
        return ddl;
    }

    MoveRequests moves() {
        return moves;
    }

    ReplicaFailures failures() {
        return failures;
    }

    /** How far the leader's drains, rebalances and repairs have got. */
    ProgressBoard progress() {
        return progress;
    }

    ReplicationChanges replication() {
        return replication;
    }

    ColumnChanges columns() {
        return columns;
    }

    Resharder resharder() {
        return resharder;
    }

    @Override
    public void close() {
        loop.close();
        resharder.close();
        runner.close();
        ddl.close();
    }

    /** The task runner's request for a reconcile pass (the loop exists by the time a task runs). */
    private void lookAgainIn(long nanos) {
        loop.lookAgainIn(nanos);
    }
}
