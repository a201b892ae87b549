package io.rayforce.cluster.node.shard;

/**
 * A shard copy failed: the source could not be reached ({@link #sourceUnreachable()}), or it
 * broke off or did not verify (the partial copy was deleted).
 */
public final class ShardCopyException extends RuntimeException {
    private final boolean sourceUnreachable;

    public ShardCopyException(String message, boolean sourceUnreachable, Throwable cause) {
        super(message, cause);
        this.sourceUnreachable = sourceUnreachable;
    }

    public ShardCopyException(String message) {
        this(message, false, null);
    }

    /** True when the source node's engine could not be connected to (retry later, or copy from another replica). */
    public boolean sourceUnreachable() {
        return sourceUnreachable;
    }
}
