package io.rayforce.cluster.coordinator.store;

/**
 * The outcome of a placement change.
 *
 * @param epoch the placement epoch after the change (the current epoch when nothing changed)
 * @param changed whether anything was written
 */
public record PlacementCommit(long epoch, boolean changed) {
}
