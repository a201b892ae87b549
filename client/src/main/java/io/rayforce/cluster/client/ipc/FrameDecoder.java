package io.rayforce.cluster.client.ipc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.Arrays;

/**
 * Splits the byte stream into {@link RawFrame}s. The header is checked before any payload is
 * buffered; a violation raises a {@link io.rayforce.cluster.client.RayforceProtocolError}
 * through the pipeline and stops decoding.
 */
public final class FrameDecoder extends AbstractFrameReader {
    private static final int INITIAL_CHUNK = 64 * 1024;

    private final boolean trustSizes;
    private byte[] payload;
    private int size;

    /**
     * A decoder accepting payloads of at most {@code maxPayloadBytes}. With {@code trustSizes}
     * (a client reading a server it chose) the payload buffer is allocated whole when the header
     * arrives, which saves copying large results; without it (a server reading strangers) the
     * buffer grows only with the bytes that actually arrive.
     */
    public FrameDecoder(int maxPayloadBytes, boolean trustSizes) {
        super(maxPayloadBytes);
        this.trustSizes = trustSizes;
    }

    @Override
    void frameStarted(FrameHeader header) {
        size = header.size();
        payload = new byte[trustSizes ? size : Math.min(size, INITIAL_CHUNK)];
    }

    @Override
    void payload(ByteBuf piece, int offset) {
        int n = piece.readableBytes();
        if (offset + n > payload.length) {
            int grown = (int) Math.min(size, Math.max((long) payload.length * 2, offset + n));
            payload = Arrays.copyOf(payload, grown);
        }
        piece.readBytes(payload, offset, n);
    }

    @Override
    boolean frameEnded(ChannelHandlerContext ctx, FrameHeader header) {
        RawFrame frame = new RawFrame(header, payload);
        payload = null;
        ctx.fireChannelRead(frame);
        return true;
    }

    @Override
    void frameAbandoned() {
        payload = null;
    }
}
