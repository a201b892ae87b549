package io.rayforce.cluster.client.ipc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.rayforce.cluster.client.RayforceProtocolError;

/**
 * Turns the byte stream into {@link Message}s, decoding each payload while it arrives: the bytes
 * of a large result go from the socket's buffers straight into its column arrays, with no copy
 * of the whole payload in between, and the decoding overlaps the transfer. A compressed payload
 * is gathered whole first (it can only be decompressed whole).
 *
 * <p>What comes out is exactly what a {@link FrameDecoder} followed by a {@link MessageDecoder}
 * gives for the same bytes, wherever they are cut: the same messages and the same first
 * {@link RayforceProtocolError}, raised at the same point of the stream. A header that breaks
 * the protocol is raised at once and stops decoding; a payload that fails to decode is noticed as
 * early as its bytes show it but raised when the frame's last byte arrives (a connection closed
 * before that reports the truncated frame), and stops decoding too. For a client: sizes are
 * trusted up to {@code maxPayloadBytes}, so a typed vector or string is allocated whole when its
 * length arrives, and a compressed payload when its header does.
 */
public final class StreamingMessageDecoder extends ChannelInboundHandlerAdapter {
    private final ValueReader.Mode mode;
    private final int maxPayloadBytes;
    private final HeaderBuffer header = new HeaderBuffer();
    private FrameHeader current;
    private int payloadFill;
    /** The reader of the current frame's payload, when it is not compressed and decodes so far. */
    private ValueReader reader;
    /** The current frame's payload, when it is compressed. */
    private byte[] compressed;
    /** Why the current frame's payload does not decode: raised once its last byte has arrived. */
    private RayforceProtocolError error;
    private boolean failed;

    /** Decodes payloads of at most {@code maxPayloadBytes} (decompressed too) in {@code mode}. */
    public StreamingMessageDecoder(ValueReader.Mode mode, int maxPayloadBytes) {
        this.mode = mode;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            while (in.isReadable() && !failed) {
                if (current == null && !startFrame(ctx, in)) {
                    break;
                }
                int n = Math.min(in.readableBytes(), current.size() - payloadFill);
                ByteBuf piece = in.readSlice(n);
                if (compressed != null) {
                    piece.readBytes(compressed, payloadFill, n);
                } else if (reader != null) {
                    try {
                        reader.feed(piece);
                    } catch (RayforceProtocolError e) {
                        error = e;
                        reader = null;
                    }
                }
                payloadFill += n;
                if (payloadFill == current.size()) {
                    finishFrame(ctx);
                }
            }
        } finally {
            in.release();
        }
    }

    /** Reads header bytes; true once a header is complete and its payload can follow. */
    private boolean startFrame(ChannelHandlerContext ctx, ByteBuf in) {
        try {
            current = header.read(in, maxPayloadBytes);
        } catch (RayforceProtocolError e) {
            failed = true;
            ctx.fireExceptionCaught(e);
            return false;
        }
        if (current == null) {
            return false;
        }
        payloadFill = 0;
        if (current.compressed()) {
            compressed = new byte[current.size()];
        } else {
            reader = new ValueReader(mode, current.size());
        }
        return true;
    }

    private void finishFrame(ChannelHandlerContext ctx) {
        FrameHeader h = current;
        RayforceProtocolError e = error;
        Message m = null;
        if (e == null) {
            try {
                m = compressed != null ? MessageDecoder.decode(new RawFrame(h, compressed), mode, maxPayloadBytes)
                        : new Message(h.type(), reader.value());
            } catch (RayforceProtocolError x) {
                e = x;
            }
        }
        current = null;
        reader = null;
        compressed = null;
        error = null;
        if (e != null) {
            failed = true;
            ctx.fireExceptionCaught(e);
        } else {
            ctx.fireChannelRead(m);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!failed && (current != null || header.fill() > 0)) {
            RayforceProtocolError e = header.closedMidFrame(current, payloadFill);
            current = null;
            reader = null;
            compressed = null;
            error = null;
            ctx.fireExceptionCaught(e);
        }
        ctx.fireChannelInactive();
    }
}
