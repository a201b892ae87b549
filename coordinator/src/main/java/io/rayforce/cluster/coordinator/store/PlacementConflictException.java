package io.rayforce.cluster.coordinator.store;

/** Thrown when a placement change kept conflicting with concurrent changes until its deadline. */
public class PlacementConflictException extends RuntimeException {
    public PlacementConflictException(String message) {
        super(message);
    }
}
