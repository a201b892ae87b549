package io.rayforce.cluster.node.shard;

/** A shard table that should be on an engine is not there. */
public final class ShardNotFoundException extends RuntimeException {
    public ShardNotFoundException(String message) {
        super(message);
    }
}
