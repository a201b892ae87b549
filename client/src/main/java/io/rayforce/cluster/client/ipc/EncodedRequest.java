package io.rayforce.cluster.client.ipc;

import io.rayforce.cluster.client.value.RayValue;

/**
 * A sync request encoded at most once, however many connections send it: the replicas of a
 * shard get the same bytes, so a write of N rows to R replicas encodes N rows, not R times N.
 * Encoded by the first sender, lazily (a request no connection sends is never encoded); the
 * frame is only read afterwards, never changed.
 */
public final class EncodedRequest {
    private final RayValue value;
    private final int flags;
    private byte[] frame;

    private EncodedRequest(RayValue value, int flags) {
        this.value = value;
        this.flags = flags;
    }

    /** A sync request of {@code value} with header {@code flags} ({@link Wire#FLAG_RESTRICTED}, or 0). */
    public static EncodedRequest sync(RayValue value, int flags) {
        return new EncodedRequest(value, flags);
    }

    public RayValue value() {
        return value;
    }

    /**
     * The whole frame, header included.
     *
     * @throws IllegalArgumentException when the value cannot be sent (over the engine's frame limit)
     */
    synchronized byte[] frame() {
        if (frame == null) {
            frame = ValueWriter.frame(MessageType.SYNC, value, flags);
        }
        return frame;
    }
}
