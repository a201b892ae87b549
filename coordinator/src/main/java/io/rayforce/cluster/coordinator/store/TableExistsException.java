package io.rayforce.cluster.coordinator.store;

/** Thrown when a table of that name already exists. */
public class TableExistsException extends RuntimeException {
    public TableExistsException(String message) {
        super(message);
    }
}
