package io.rayforce.cluster.coordinator.server;

/** A request names something (a node, a shard) the cluster does not have. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
