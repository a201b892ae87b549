package io.rayforce.cluster.client.ipc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
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
public final class StreamingMessageDecoder extends AbstractFrameReader {
    private final ValueReader.Mode mode;
    private final int maxPayloadBytes;
    /** The reader of the current frame's payload, when it is not compressed and decodes so far. */
    private ValueReader reader;
    /** The current frame's payload, when it is compressed. */
    private byte[] compressed;
    /** Why the current frame's payload does not decode: raised once its last byte has arrived. */
    private RayforceProtocolError error;

    /** Decodes payloads of at most {@code maxPayloadBytes} (decompressed too) in {@code mode}. */
    public StreamingMessageDecoder(ValueReader.Mode mode, int maxPayloadBytes) {
        super(maxPayloadBytes);
        this.mode = mode;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    void frameStarted(FrameHeader header) {
        if (header.compressed()) {
            compressed = new byte[header.size()];
        } else {
            reader = new ValueReader(mode, header.size());
        }
    }

    @Override
    void payload(ByteBuf piece, int offset) {
        if (compressed != null) {
            piece.readBytes(compressed, offset, piece.readableBytes());
        } else if (reader != null) {
            try {
                reader.feed(piece);
            } catch (RayforceProtocolError e) {
                error = e;
                reader = null;
            }
        }
    }

    @Override
    boolean frameEnded(ChannelHandlerContext ctx, FrameHeader header) {
        RayforceProtocolError e = error;
        Message m = null;
        if (e == null) {
            try {
                m = compressed != null ? MessageDecoder.decode(new RawFrame(header, compressed), mode, maxPayloadBytes)
                        : new Message(header.type(), reader.value());
            } catch (RayforceProtocolError x) {
                e = x;
            }
        }
        frameAbandoned();
        if (e != null) {
            ctx.fireExceptionCaught(e);
            return false;
        }
        ctx.fireChannelRead(m);
        return true;
    }

    @Override
    void frameAbandoned() {
        reader = null;
        compressed = null;
        error = null;
    }
}
