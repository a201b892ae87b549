package io.rayforce.cluster.coordinator.store;

import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.coordinator.proto.TablePlacement;
import java.util.List;

/**
 * A placement change as a function of the current state: given the snapshot at epoch E, the
 * tables whose placement should change (each a whole {@link TablePlacement} of an existing table,
 * spec unchanged), or an empty list for "nothing to do".
 *
 * <p>It may be applied again to a newer snapshot (after a concurrent change, or after part of a
 * large change was committed), so write it as a statement about the desired state ("replica of
 * node n is DOWN"), not as a step ("add one more replica"). The store stamps
 * {@code since_epoch} on every replica whose state changed; the function need not.
 */
@FunctionalInterface
public interface PlacementChange {
    List<TablePlacement> apply(ClusterSnapshot current);
}
