package io.rayforce.cluster.coordinator.store;

/** Thrown when this process may no longer write placement: its fence znode (the leader latch node) is gone, so it is not the leader any more. */
public class FencedException extends RuntimeException {
    public FencedException(String message) {
        super(message);
    }
}
