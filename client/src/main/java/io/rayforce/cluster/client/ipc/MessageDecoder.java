package io.rayforce.cluster.client.ipc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.rayforce.cluster.client.RayforceProtocolError;
import java.util.List;

/** Turns a {@link RawFrame} into a {@link Message}: decompresses if flagged, then deserializes. */
public final class MessageDecoder extends MessageToMessageDecoder<RawFrame> {

    @Override
    protected void decode(ChannelHandlerContext ctx, RawFrame frame, List<Object> out) {
        out.add(decode(frame));
    }

    /** Decodes one frame outside a pipeline. */
    public static Message decode(RawFrame frame) {
        byte[] payload = frame.header().compressed() ? Compression.decompress(frame.payload()) : frame.payload();
        return new Message(frame.header().type(), ValueReader.read(payload));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // DecoderException wraps what decode threw; hand the protocol error itself on
        Throwable root = cause.getCause() instanceof RayforceProtocolError p ? p : cause;
        ctx.fireExceptionCaught(root);
    }
}
