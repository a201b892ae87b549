package io.rayforce.cluster.client.ipc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.rayforce.cluster.client.RayforceProtocolError;
import java.nio.ByteBuffer;

/**
 * Reads a byte stream as frames: gathers and checks each 16-byte header, then hands the frame's
 * payload to the subclass in the pieces that arrive, and says when it is complete. A header that
 * breaks the protocol raises a {@link RayforceProtocolError} through the pipeline and stops
 * reading, as does a frame the subclass refuses; a connection that closes in the middle of a
 * frame raises one naming how much of it had arrived.
 */
abstract class AbstractFrameReader extends ChannelInboundHandlerAdapter {
    private final byte[] header = new byte[Wire.HEADER_BYTES];
    private int headerFill;
    private final int maxPayloadBytes;
    private FrameHeader current;
    private int payloadFill;
    private boolean failed;

    /** A reader accepting payloads of at most {@code maxPayloadBytes}. */
    AbstractFrameReader(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** The payload of a frame with this (checked) header follows. */
    abstract void frameStarted(FrameHeader header);

    /** The next {@code piece} of the current frame's payload, which starts at {@code offset} in it; consume it whole. */
    abstract void payload(ByteBuf piece, int offset);

    /** The current frame's payload is complete: pass on what it gives; false when it was refused (reading stops). */
    abstract boolean frameEnded(ChannelHandlerContext ctx, FrameHeader header);

    /** The connection closed before the current frame was complete: forget it. */
    abstract void frameAbandoned();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            while (in.isReadable() && !failed) {
                if (current == null) {
                    int n = Math.min(in.readableBytes(), Wire.HEADER_BYTES - headerFill);
                    in.readBytes(header, headerFill, n);
                    headerFill += n;
                    if (headerFill < Wire.HEADER_BYTES) {
                        break;
                    }
                    headerFill = 0;
                    try {
                        current = FrameHeader.read(ByteBuffer.wrap(header), maxPayloadBytes);
                    } catch (RayforceProtocolError e) {
                        failed = true;
                        ctx.fireExceptionCaught(e);
                        break;
                    }
                    payloadFill = 0;
                    frameStarted(current);
                }
                int n = Math.min(in.readableBytes(), current.size() - payloadFill);
                payload(in.readSlice(n), payloadFill);
                payloadFill += n;
                if (payloadFill == current.size()) {
                    FrameHeader done = current;
                    current = null;
                    failed = !frameEnded(ctx, done);
                }
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!failed && (current != null || headerFill > 0)) {
            int got = current == null ? headerFill : Wire.HEADER_BYTES + payloadFill;
            int want = current == null ? Wire.HEADER_BYTES : Wire.HEADER_BYTES + current.size();
            current = null;
            headerFill = 0;
            frameAbandoned();
            ctx.fireExceptionCaught(new RayforceProtocolError(
                    "connection closed in the middle of a frame (" + got + " of " + want + " bytes received)"));
        }
        ctx.fireChannelInactive();
    }
}
