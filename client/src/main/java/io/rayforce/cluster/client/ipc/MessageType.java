package io.rayforce.cluster.client.ipc;

/** The message type byte of a frame header. */
public enum MessageType {
    /** Evaluate, send nothing back. */
    ASYNC,
    /** Evaluate and answer with one response frame. */
    SYNC,
    /** The answer to a sync request. */
    RESPONSE;

    public int code() {
        return ordinal();
    }

    public static MessageType ofCode(int code) {
        return switch (code) {
            case 0 -> ASYNC;
            case 1 -> SYNC;
            case 2 -> RESPONSE;
            default -> null;
        };
    }
}
