package io.rayforce.cluster.client.ipc;

import io.netty.buffer.ByteBuf;
import io.rayforce.cluster.client.RayforceProtocolError;
import java.nio.ByteBuffer;

/** Gathers a frame's 16 header bytes, which may arrive in pieces, and checks them. */
final class HeaderBuffer {
    private final byte[] bytes = new byte[Wire.HEADER_BYTES];
    private int fill;

    /**
     * Takes header bytes from {@code in}: the header once all 16 have arrived, else null. A header
     * that breaks the protocol (or declares a payload over {@code maxPayloadBytes}) is a
     * {@link RayforceProtocolError}.
     */
    FrameHeader read(ByteBuf in, int maxPayloadBytes) {
        int n = Math.min(in.readableBytes(), Wire.HEADER_BYTES - fill);
        in.readBytes(bytes, fill, n);
        fill += n;
        if (fill < Wire.HEADER_BYTES) {
            return null;
        }
        fill = 0;
        return FrameHeader.read(ByteBuffer.wrap(bytes), maxPayloadBytes);
    }

    /** Header bytes gathered so far (0 between frames). */
    int fill() {
        return fill;
    }

    /**
     * The error for a connection that closed before its frame was complete: {@code payloadFill}
     * bytes of {@code current}'s payload had arrived, or, without a header yet, this buffer's
     * bytes of it. Forgets the partial header.
     */
    RayforceProtocolError closedMidFrame(FrameHeader current, int payloadFill) {
        int got = current == null ? fill : Wire.HEADER_BYTES + payloadFill;
        int want = current == null ? Wire.HEADER_BYTES : Wire.HEADER_BYTES + current.size();
        fill = 0;
        return new RayforceProtocolError(
                "connection closed in the middle of a frame (" + got + " of " + want + " bytes received)");
    }
}
