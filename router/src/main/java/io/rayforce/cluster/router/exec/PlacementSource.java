package io.rayforce.cluster.router.exec;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;

/** Where a router gets the placement it plans with: a ZooKeeper watch, or a fixed snapshot in tests. */
@FunctionalInterface
public interface PlacementSource {
    /** The newest snapshot; queries take one at their start and keep it. */
    ClusterSnapshot snapshot();

    /**
     * The snapshot a query starts with, registered as in use until {@link #queryFinished} with its
     * epoch: taking it and registering it are one step, so the router never reports having moved
     * past an epoch a query is about to read at.
     */
    default ClusterSnapshot beginQuery() {
        return snapshot();
    }

    /** A query that started at {@code epoch} has finished. */
    default void queryFinished(long epoch) {
    }
}
