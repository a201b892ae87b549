package io.rayforce.cluster.node.shard;

/** A shard table exists but its columns differ from the table's schema. */
public final class SchemaMismatchException extends RuntimeException {
    public SchemaMismatchException(String message) {
        super(message);
    }
}
