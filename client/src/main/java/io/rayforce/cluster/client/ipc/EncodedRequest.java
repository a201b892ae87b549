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
    /** Sends still to come; the frame is let go after the last (0: kept). */
    private int uses;

    private EncodedRequest(RayValue value, int flags, int uses) {
        this.value = value;
        this.flags = flags;
        this.uses = uses;
    }

    /** A sync request of {@code value} with header {@code flags} ({@link Wire#FLAG_RESTRICTED}, or 0). */
    public static EncodedRequest sync(RayValue value, int flags) {
        return new EncodedRequest(value, flags, 0);
    }

    /**
     * As {@link #sync}, for {@code senders} sends: the encoded frame is let go after the last of
     * them took it, so a write's frames do not stay in memory until the whole write is answered.
     */
    public static EncodedRequest shared(RayValue value, int flags, int senders) {
        if (senders < 1) {
            throw new IllegalArgumentException("a shared request needs at least one sender, got " + senders);
        }
        return new EncodedRequest(value, flags, senders);
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
        byte[] f = frame != null ? frame : ValueWriter.frame(MessageType.SYNC, value, flags);
        frame = uses == 1 ? null : f;
        if (uses > 0) {
            uses--;
        }
        return f;
    }
}
