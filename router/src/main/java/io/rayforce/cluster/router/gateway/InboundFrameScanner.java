package io.rayforce.cluster.router.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.rayforce.cluster.client.ipc.FrameHeader;
import io.rayforce.cluster.client.ipc.MessageType;
import io.rayforce.cluster.client.ipc.Wire;
import java.nio.ByteBuffer;

/**
 * Follows frame boundaries in the raw byte stream, before the frame decoder, for two things the
 * engine does that a plain decoder would not:
 * <ul>
 *   <li>Cancel. A client cancels its running request with one byte of TCP urgent data. The
 *   gateway's sockets receive urgent data inline, so that byte arrives in the stream; it is
 *   recognised because it sits where a frame would start and is not the frame prefix's first
 *   byte ({@code FA}). It is taken out of the stream and {@link #CANCEL} is fired instead.</li>
 *   <li>Message types. The engine evaluates frames with a message type other than 0, 1 or 2 as
 *   async messages; their type byte is rewritten to 0 so the decoder accepts them.</li>
 *   <li>Oversized requests. A well-formed header declaring more than the gateway's request limit
 *   fires {@link OversizedFrame} instead of going on, and nothing after it is passed on: the
 *   connection is closing.</li>
 * </ul>
 * Everything else passes through untouched; a malformed header is left for the frame decoder to
 * refuse.
 */
final class InboundFrameScanner extends ChannelInboundHandlerAdapter {
    /** The user event fired for a cancel byte. */
    static final Object CANCEL = new Object() {
        @Override
        public String toString() {
            return "CANCEL";
        }
    };

    /**
     * The user event fired when a frame header declares more than the gateway accepts, before
     * the frame decoder refuses it, so the connection can say why it is closed.
     */
    record OversizedFrame(long size, int limit, boolean sync) {
    }

    private final int maxRequestBytes;
    private final byte[] header = new byte[Wire.HEADER_BYTES];
    private int headerFill;
    private long payloadLeft;
    /** An oversized frame was seen: nothing more is passed on. */
    private boolean refused;

    /** @param maxRequestBytes the largest payload the frame decoder behind accepts */
    InboundFrameScanner(int maxRequestBytes) {
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (refused) {
            in.release();
            return;
        }
        int segmentStart = in.readerIndex();
        int i = segmentStart;
        int end = in.writerIndex();
        boolean tookBytes = false;
        while (i < end) {
            if (payloadLeft > 0) {
                int n = (int) Math.min(payloadLeft, end - i);
                payloadLeft -= n;
                i += n;
                continue;
            }
            if (headerFill == 0 && in.getUnsignedByte(i) != FrameHeader.FIRST_BYTE) {
                if (i > segmentStart) {
                    ctx.fireChannelRead(in.retainedSlice(segmentStart, i - segmentStart));
                }
                tookBytes = true;
                i++;
                segmentStart = i;
                ctx.fireUserEventTriggered(CANCEL);
                continue;
            }
            int b = in.getUnsignedByte(i);
            header[headerFill] = (byte) b;
            if (headerFill == FrameHeader.TYPE_OFFSET && b > 2) {
                in.setByte(i, 0);
            }
            headerFill++;
            i++;
            if (headerFill == Wire.HEADER_BYTES) {
                FrameHeader.Fields h = FrameHeader.fields(ByteBuffer.wrap(header));
                long size = h.size();
                if (size > maxRequestBytes && h.wellFormedExceptSize()) {
                    // the frames before it go on; the header does not (the connection is closing)
                    int headerStart = Math.max(segmentStart, i - Wire.HEADER_BYTES);
                    if (headerStart > segmentStart) {
                        ctx.fireChannelRead(in.retainedSlice(segmentStart, headerStart - segmentStart));
                    }
                    refused = true;
                    in.release();
                    ctx.fireUserEventTriggered(new OversizedFrame(size, maxRequestBytes, h.type() == MessageType.SYNC.code()));
                    return;
                }
                payloadLeft = Math.max(0, size);
                headerFill = 0;
            }
        }
        if (!tookBytes) {
            ctx.fireChannelRead(in);
            return;
        }
        try {
            if (end > segmentStart) {
                ctx.fireChannelRead(in.retainedSlice(segmentStart, end - segmentStart));
            }
        } finally {
            in.release();
        }
    }
}
