package io.rayforce.cluster.client.ipc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.rayforce.cluster.client.RayforceProtocolError;
import java.util.Arrays;

/**
 * Splits the byte stream into {@link RawFrame}s. The header is checked before any payload is
 * buffered; a violation raises a {@link RayforceProtocolError} through the pipeline and stops
 * decoding.
 */
public final class FrameDecoder extends ChannelInboundHandlerAdapter {
    private static final int INITIAL_CHUNK = 64 * 1024;

    private final HeaderBuffer header = new HeaderBuffer();
    private FrameHeader current;
    private byte[] payload;
    private int payloadFill;
    private boolean failed;
    private final int maxPayloadBytes;
    private final boolean trustSizes;

    /**
     * A decoder accepting payloads of at most {@code maxPayloadBytes}. With {@code trustSizes}
     * (a client reading a server it chose) the payload buffer is allocated whole when the header
     * arrives, which saves copying large results; without it (a server reading strangers) the
     * buffer grows only with the bytes that actually arrive.
     */
    public FrameDecoder(int maxPayloadBytes, boolean trustSizes) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.trustSizes = trustSizes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            while (in.isReadable() && !failed) {
                if (current == null) {
                    try {
                        current = header.read(in, maxPayloadBytes);
                    } catch (RayforceProtocolError e) {
                        failed = true;
                        ctx.fireExceptionCaught(e);
                        break;
                    }
                    if (current == null) {
                        break;
                    }
                    payload = new byte[trustSizes ? current.size() : Math.min(current.size(), INITIAL_CHUNK)];
                    payloadFill = 0;
                }
                int n = Math.min(in.readableBytes(), current.size() - payloadFill);
                if (payloadFill + n > payload.length) {
                    int grown = (int) Math.min(current.size(), Math.max((long) payload.length * 2, payloadFill + n));
                    payload = Arrays.copyOf(payload, grown);
                }
                in.readBytes(payload, payloadFill, n);
                payloadFill += n;
                if (payloadFill == current.size()) {
                    RawFrame frame = new RawFrame(current, payload);
                    current = null;
                    payload = null;
                    ctx.fireChannelRead(frame);
                }
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (current != null || header.fill() > 0) {
            RayforceProtocolError e = header.closedMidFrame(current, payloadFill);
            current = null;
            payload = null;
            ctx.fireExceptionCaught(e);
        }
        ctx.fireChannelInactive();
    }
}
