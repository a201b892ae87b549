package io.rayforce.cluster.client.ipc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.rayforce.cluster.client.RayforceProtocolError;
import java.util.List;

/** Turns a {@link RawFrame} into a {@link Message}: decompresses if flagged, then deserializes. */
public final class MessageDecoder extends MessageToMessageDecoder<RawFrame> {
    private final ValueReader.Mode mode;
    private final int maxPayloadBytes;

    /** Decodes payloads in {@code mode}; decompressed payloads may not exceed {@code maxPayloadBytes}. */
    public MessageDecoder(ValueReader.Mode mode, int maxPayloadBytes) {
        this.mode = mode;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, RawFrame frame, List<Object> out) {
        out.add(decode(frame, mode, maxPayloadBytes));
    }

    /** Decodes one frame outside a pipeline. */
    public static Message decode(RawFrame frame, ValueReader.Mode mode, int maxPayloadBytes) {
        byte[] payload = frame.header().compressed() ? Compression.decompress(frame.payload(), maxPayloadBytes)
                : frame.payload();
        return new Message(frame.header().type(), ValueReader.read(java.nio.ByteBuffer.wrap(payload), mode));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // DecoderException wraps what decode threw; hand the protocol error itself on
        Throwable root = cause.getCause() instanceof RayforceProtocolError p ? p : cause;
        ctx.fireExceptionCaught(root);
    }
}
