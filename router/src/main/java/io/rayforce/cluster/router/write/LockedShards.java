package io.rayforce.cluster.router.write;

import io.rayforce.cluster.coordinator.meta.ClusterNaming.ShardRef;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import io.rayforce.cluster.coordinator.store.ShardLock;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.PlacementSource;
import io.rayforce.cluster.router.services.ClusterServices;
import java.time.Duration;
import java.util.Collection;

/**
 * Shard locks held by a write, with the placement as of the moment they were taken: after
 * locking, the router waits until its placement view has reached the epoch stored in
 * ZooKeeper, so a replica that a copy filled (and the leader marked) under the same lock is
 * seen. Close it on the thread that took it.
 */
final class LockedShards implements AutoCloseable {
    private final ShardLock lock;
    private final ClusterSnapshot snapshot;

    private LockedShards(ShardLock lock, ClusterSnapshot snapshot) {
        this.lock = lock;
        this.snapshot = snapshot;
    }

    static LockedShards lock(ClusterServices services, PlacementSource placement, Collection<ShardRef> shards, Duration timeout,
            String what) {
        ShardLock lock = services.lock(shards, timeout, what);
        try {
            return new LockedShards(lock, caughtUp(services, placement, timeout, what));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The router's placement once it has reached the epoch stored in ZooKeeper now. */
    static ClusterSnapshot caughtUp(ClusterServices services, PlacementSource placement, Duration timeout, String what) {
        try {
            long stored = services.storedEpoch();
            long deadline = System.nanoTime() + timeout.toNanos();
            ClusterSnapshot s = placement.snapshot();
            while (s.epoch() < stored) {
                if (System.nanoTime() > deadline) {
                    throw new ClusterQueryError(what + ": the router's placement stayed at epoch " + s.epoch()
                            + ", behind ZooKeeper's " + stored);
                }
                Thread.sleep(2);
                s = placement.snapshot();
            }
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterQueryError(what + ": interrupted while waiting for the placement", e);
        }
    }

    /** The shards' locks as held by this router's write lease of their table: nothing to take or let go. */
    static LockedShards held(PlacementSource placement) {
        return new LockedShards(() -> { }, placement.snapshot());
    }

    ClusterSnapshot snapshot() {
        return snapshot;
    }

    /**
     * The table's placement under the locks; fails when it was dropped, or dropped and created
     * again, since the write was planned.
     */
    TablePlacement table(String name, long createdEpoch, String what) {
        TablePlacement t = snapshot.table(name).orElseThrow(() -> new ClusterQueryError(what + ": table " + name
                + " was dropped while the write waited for its locks"));
        if (t.getSpec().getCreatedEpoch() != createdEpoch) {
            throw new ClusterQueryError(what + ": table " + name + " was dropped and created again while the write "
                    + "waited for its locks");
        }
        return t;
    }

    @Override
    public void close() {
        lock.close();
    }
}
