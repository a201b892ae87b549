package io.rayforce.cluster.coordinator.placement;

/** A placement the cluster cannot make as asked (too few nodes, nowhere to move a replica). */
public class PlacementException extends RuntimeException {
    public PlacementException(String message) {
        super(message);
    }
}
