package io.rayforce.cluster.router.exec;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;

/** Where a router gets the placement it plans with: a ZooKeeper watch, or a fixed snapshot in tests. */
@FunctionalInterface
public interface PlacementSource {
    /** The newest snapshot; queries take one at their start and keep it. */
    ClusterSnapshot snapshot();

    /** A query starts reading at {@code epoch} (see {@link #queryFinished}). */
    default void queryStarted(long epoch) {
    }

    /** A query that started at {@code epoch} has finished. */
    default void queryFinished(long epoch) {
    }
}
