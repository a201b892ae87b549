package io.rayforce.cluster.coordinator.store;

/** Thrown when no table of that name exists. */
public class NoSuchTableException extends RuntimeException {
    public NoSuchTableException(String message) {
        super(message);
    }
}
