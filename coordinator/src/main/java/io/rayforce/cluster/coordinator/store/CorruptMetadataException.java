package io.rayforce.cluster.coordinator.store;

/** A znode holds something other than the metadata its path should hold. */
public class CorruptMetadataException extends RuntimeException {
    public CorruptMetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
