package io.rayforce.cluster.client.ipc;

import static io.rayforce.cluster.client.testing.FuzzContract.assertAllocationBounded;
import static io.rayforce.cluster.client.testing.FuzzContract.withinTime;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rayforce.cluster.client.RayforceProtocolError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the frame decoder and the message decoder together with arbitrary byte streams, fed
 * through a Netty pipeline as the gateway (strangers' frames up to 256 MiB, buffers grown with
 * the bytes that arrive, requests) and a client (a trusted peer, 64 KiB frames, results) read
 * them, and the streaming decoder the client's connections use. Contract: within 10 s, the
 * stream yields decoded messages until, perhaps, a {@link RayforceProtocolError} (no other
 * exception); the same messages and the same error whether the bytes arrive at once or in small
 * pieces, and from the streaming decoder as from the frame and message decoders; memory bounded
 * by the bytes that arrived (plus one frame for a trusting client), never by what a header
 * claims.
 */
class FrameStreamFuzzTest {
    static final long PER_BYTE = 64;
    static final long SLACK = 256 * 1024;
    static final int CLIENT_MAX_FRAME = 64 * 1024;

    /** How a side of the protocol reads frames: a frame decoder then a message decoder, or one streaming decoder. */
    record Reader(String name, int maxFrame, boolean trustSizes, ValueReader.Mode mode, boolean streaming) {
        EmbeddedChannel channel() {
            return streaming ? new EmbeddedChannel(new StreamingMessageDecoder(mode, maxFrame))
                    : new EmbeddedChannel(new FrameDecoder(maxFrame, trustSizes), new MessageDecoder(mode, maxFrame));
        }
    }

    static final Reader GATEWAY = new Reader("gateway", Wire.MAX_PAYLOAD_BYTES, false, ValueReader.Mode.EXPRESSION, false);
    static final Reader CLIENT_FRAMES = new Reader("client", CLIENT_MAX_FRAME, true, ValueReader.Mode.RESULT, false);
    static final Reader CLIENT_STREAMING = new Reader("streaming client", CLIENT_MAX_FRAME, true, ValueReader.Mode.RESULT, true);
    static final List<Reader> READERS = List.of(GATEWAY, CLIENT_FRAMES, CLIENT_STREAMING);

    /** What a stream decoded to: the messages, then the error that ended it (or null). */
    record Outcome(List<Message> messages, String error) {
    }

    @FuzzTest
    void framesOrProtocolError(byte[] stream) {
        withinTime(Duration.ofSeconds(10), () -> {
            for (Reader r : READERS) {
                Outcome whole = decode(r, stream, stream.length);
                Outcome pieces = decode(r, stream, 1 + stream.length % 13);
                if (!whole.equals(pieces)) {
                    throw new AssertionError(r.name() + ": the stream decodes to " + whole + " at once but to " + pieces
                            + " in pieces");
                }
                long slack = SLACK + (r.trustSizes() ? r.maxFrame() : 0);
                assertAllocationBounded(r.name() + " decoding", stream.length, PER_BYTE, slack,
                        () -> decode(r, stream, stream.length));
            }
            Outcome framed = decode(CLIENT_FRAMES, stream, stream.length);
            Outcome streamed = decode(CLIENT_STREAMING, stream, 1 + stream.length % 7);
            if (!framed.equals(streamed)) {
                throw new AssertionError("the frame and message decoders give " + framed + " but the streaming decoder "
                        + streamed);
            }
        });
    }

    /** Feeds {@code stream} in pieces of {@code piece} bytes, then closes the channel. */
    static Outcome decode(Reader r, byte[] stream, int piece) {
        Recorder rec = new Recorder();
        EmbeddedChannel ch = r.channel();
        ch.pipeline().addLast(rec);
        int i = 0;
        while (i < stream.length && rec.error == null) {
            int n = Math.min(piece, stream.length - i);
            ch.writeInbound(Unpooled.wrappedBuffer(stream, i, n));
            i += n;
        }
        ch.finish();
        if (rec.broken != null) {
            throw rec.broken;
        }
        return new Outcome(rec.messages, rec.error);
    }

    /**
     * The end of the pipeline: keeps the messages in order up to the first error, which must be
     * a {@link RayforceProtocolError} (the connection's handler closes it there, so what the
     * decoders yield after it is never used).
     */
    static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Message> messages = new ArrayList<>();
        String error;
        /** Set when the decoders break the contract (Netty would swallow an exception thrown here). */
        AssertionError broken;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object m) {
            if (!(m instanceof Message msg) || msg.value() == null) {
                broken = new AssertionError("the decoders produced " + m + ", not a message with a value");
            } else if (error == null) {
                messages.add(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof RayforceProtocolError)) {
                broken = new AssertionError("contract broken: the decoders raised " + cause, cause);
            } else if (error == null) {
                error = cause.getMessage();
            }
        }
    }
}
