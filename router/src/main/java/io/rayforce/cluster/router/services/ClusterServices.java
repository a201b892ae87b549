package io.rayforce.cluster.router.services;

import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ZkPaths;
import io.rayforce.cluster.coordinator.proto.PlacementEpoch;
import io.rayforce.cluster.coordinator.store.ProtoJson;
import io.rayforce.cluster.coordinator.store.ReadLeases;
import io.rayforce.cluster.coordinator.store.RowSequences;
import io.rayforce.cluster.coordinator.store.SessionLiveness;
import io.rayforce.cluster.coordinator.store.ShardLock;
import io.rayforce.cluster.coordinator.store.ShardLocks;
import io.rayforce.cluster.coordinator.store.TableLock;
import io.rayforce.cluster.coordinator.store.TableLocks;
import io.rayforce.cluster.coordinator.store.WriteIntents;
import io.rayforce.cluster.coordinator.store.ZooKeeperUnavailableException;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;

/**
 * The cluster-wide parts writes need: table and shard locks, write intents and row sequences in
 * ZooKeeper, the placement epoch as stored, and the coordinator's control plane.
 */
public final class ClusterServices implements AutoCloseable {
    private final CuratorFramework curator;
    private final SessionLiveness liveness;
    private final ShardLocks locks;
    private final TableLocks tableLocks;
    private final WriteFence fence;
    private final WriteIntents intents;
    private final ReadLeases readLeases;
    private final String routerId = ManagementFactory.getRuntimeMXBean().getName();
    private final RowSequences sequences;
    private final ControlPlane control;

    /**
     * Services over a started Curator client scoped to the cluster's namespace, whose session's
     * liveness {@code liveness} follows.
     */
    public ClusterServices(CuratorFramework curator, SessionLiveness liveness, ControlPlane control) {
        this.curator = curator;
        this.liveness = liveness;
        this.locks = new ShardLocks(curator);
        this.tableLocks = new TableLocks(curator);
        this.fence = new WriteFence(tableLocks, liveness);
        this.intents = new WriteIntents(curator);
        // a table with an intent under its read lock has a write whose router died: readers recover it first
        this.readLeases = new ReadLeases(curator, liveness, table -> !intents.any(table));
        this.sequences = new RowSequences(curator);
        this.control = control;
    }

    public ControlPlane control() {
        return control;
    }

    /** The ZooKeeper client (scoped to the cluster's namespace), for watches on lock nodes. */
    public CuratorFramework curator() {
        return curator;
    }

    public WriteIntents intents() {
        return intents;
    }

    /** Who writes, for intents: the router's process ({@code pid@host}). */
    public String routerId() {
        return routerId;
    }

    /**
     * Whether ZooKeeper can be used now: at once when the connection is up and the session proven
     * alive; otherwise waits (at most {@code timeout}) until ZooKeeper answers a request sent from
     * now on. Writes need ZooKeeper for their locks, intents and sequences, so they wait out a
     * short outage instead of starting into one (Curator would retry inside it far past their
     * timeout); false when ZooKeeper did not answer in time.
     */
    public boolean awaitZooKeeper(Duration timeout) {
        if (curator.getZookeeperClient().isConnected() && liveness.provenAlive(liveness.sessionId())) {
            return true;
        }
        try {
            return liveness.awaitAnswer(System.nanoTime() + timeout.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The liveness of this router's ZooKeeper session. */
    public SessionLiveness liveness() {
        return liveness;
    }

    /** Takes the table's write lock; fails naming the table when reads or another write kept it. */
    public TableLock lockTable(String table, Duration timeout, String what) {
        try {
            return fence.lock(table, timeout);
        } catch (TimeoutException e) {
            throw new ClusterQueryError(what + ": " + e.getMessage());
        } catch (ZooKeeperUnavailableException e) {
            throw new ClusterQueryError(what + ": " + e.getMessage(), e);
        }
    }

    /** This router's table write locks and the check its write requests pass before they are sent. */
    public WriteFence writeFence() {
        return fence;
    }

    /** The tables' read locks, shared by this router's reads (docs/router.md, Atomic visibility). */
    public ReadLeases readLeases() {
        return readLeases;
    }

    /** Takes the locks of the shards (in the fixed order); fails naming the shard that stayed locked. */
    public ShardLock lock(Collection<ShardRef> shards, Duration timeout, String what) {
        try {
            return locks.lockAll(shards, timeout);
        } catch (TimeoutException e) {
            throw new ClusterQueryError(what + ": " + e.getMessage());
        } catch (ZooKeeperUnavailableException e) {
            throw new ClusterQueryError(what + ": " + e.getMessage(), e);
        }
    }

    /** Reserves {@code count} consecutive row sequence numbers of {@code table}; returns the first. */
    public long reserve(String table, long count, String what) {
        try {
            return sequences.reserve(table, count);
        } catch (ZooKeeperUnavailableException e) {
            throw new ClusterQueryError(what + ": " + e.getMessage(), e);
        }
    }

    /** Moves the table's sequence past {@code next - 1}, so later rows sort after rows carried over. */
    public void advanceSequence(String table, long next, String what) {
        long at = sequences.peek(table);
        if (at < next) {
            reserve(table, next - at, what);
        }
    }

    /** The placement epoch as stored in ZooKeeper now. */
    public long storedEpoch() {
        try {
            byte[] data = curator.getData().forPath(ZkPaths.EPOCH);
            PlacementEpoch e = ProtoJson.read(data, PlacementEpoch.newBuilder(), ZkPaths.EPOCH);
            return e.getEpoch();
        } catch (Exception e) {
            throw new ClusterQueryError("cannot read the placement epoch from ZooKeeper: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        readLeases.close();
        control.close();
    }
}
