package io.rayforce.cluster.client.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rayforce.cluster.client.RayforceProtocolError;
import io.rayforce.cluster.client.testing.Hex;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.GuidVector;
import io.rayforce.cluster.client.value.I16Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimestampVector;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The client's streaming decoder on the buffers a socket gives (pooled, off the heap, cut
 * anywhere): the same values as decoding whole payloads, and errors raised only when the frame's
 * last byte has arrived.
 */
class StreamingMessageDecoderTest {
    private static final Random RANDOM = new Random(16);

    /** A table like a large result: fixed-width columns, a symbol column, strings, and a symbol longer than the copy window. */
    static RayValue result(int rows) {
        long[] ids = new long[rows];
        double[] px = new double[rows];
        String[] syms = new String[rows];
        short[] small = new short[rows];
        long[] guids = new long[2 * rows];
        for (int i = 0; i < rows; i++) {
            ids[i] = i;
            px[i] = i * 1.5;
            syms[i] = i % 997 == 0 ? "" : i % 501 == 0 ? "long_symbol_" + i : i % 389 == 0 ? "日本" + i : "S" + i % 10;
            small[i] = (short) i;
            guids[2 * i] = i;
            guids[2 * i + 1] = -i;
        }
        syms[rows / 2] = "x".repeat(150_000);
        RayTable t = RayTable.builder().column("id", new I64Vector(ids)).column("px", new F64Vector(px))
                .column("sym", new SymbolVector(syms)).column("ts", new TimestampVector(ids.clone()))
                .column("h", new I16Vector(small)).column("g", new GuidVector(guids)).build();
        return RayList.of(t, new RayDict(SymbolVector.of("a", "b"), RayList.of(new Symbol("z"), new Str("text"))),
                StringVector.of("", "one", "two".repeat(30_000)), new I64Atom(7));
    }

    static byte[] frame(byte[] payload, int flags) {
        ByteBuffer b = ByteBuffer.allocate(16 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(Wire.MAGIC).put((byte) Wire.VERSION).put((byte) flags).put((byte) 0)
                .put((byte) MessageType.RESPONSE.code()).putLong(payload.length).put(payload);
        return b.array();
    }

    /** What came out of the channel: messages, then the first error. */
    static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Message> messages = new ArrayList<>();
        Throwable error;
        int bytesFedAtError = -1;
        int fed;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            messages.add((Message) msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (error == null) {
                error = cause;
                bytesFedAtError = fed;
            }
        }
    }

    /** Feeds {@code stream} in pooled direct buffers of random sizes up to {@code maxPiece}. */
    static Recorder feed(byte[] stream, int maxPiece, boolean close) {
        Recorder rec = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(new StreamingMessageDecoder(ValueReader.Mode.RESULT, Integer.MAX_VALUE - 8), rec);
        int i = 0;
        while (i < stream.length) {
            int n = Math.min(stream.length - i, 1 + RANDOM.nextInt(maxPiece));
            ByteBuf piece = PooledByteBufAllocator.DEFAULT.directBuffer(n);
            piece.writeBytes(stream, i, n);
            i += n;
            rec.fed = i;
            ch.writeInbound(piece);
        }
        if (close) {
            ch.finish();
        }
        return rec;
    }

    @Test
    void largeResultInDirectPiecesDecodesAsTheWholePayload() {
        for (int rows : new int[] {3_000, 200_000}) {
            RayValue v = result(rows);
            byte[] payload = ValueWriter.payload(v);
            assertThat(ValueReader.read(payload)).isEqualTo(v);
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            stream.writeBytes(frame(payload, 0));
            stream.writeBytes(frame(Hex.parse("fb000300000000000000"), 0));
            for (int maxPiece : rows < 10_000 ? new int[] {7, 100} : new int[] {5_000, 70_000, 1 << 20}) {
                Recorder rec = feed(stream.toByteArray(), maxPiece, true);
                assertThat(rec.error).as(rows + " rows in pieces of up to " + maxPiece).isNull();
                assertThat(rec.messages).extracting(Message::value).containsExactly(v, new I64Atom(3));
            }
        }
    }

    @Test
    void compressedFramesAreDecompressedWhole() {
        RayValue v = new I64Vector(new long[5000]);
        byte[] payload = ValueWriter.payload(v);
        byte[] compressed = Compression.compress(payload);
        Recorder rec = feed(frame(compressed, Wire.FLAG_COMPRESSED), 100, true);
        assertThat(rec.error).isNull();
        assertThat(rec.messages).extracting(Message::value).containsExactly(v);
    }

    @Test
    void aPayloadThatFailsEarlyIsReportedWhenItsFrameEnds() {
        // an unknown type code in the first byte of a 100 KB payload
        byte[] payload = new byte[100_000];
        payload[0] = 0x55;
        byte[] stream = frame(payload, 0);
        Recorder rec = feed(stream, 4096, false);
        assertThat(rec.error).isInstanceOf(RayforceProtocolError.class).hasMessage("malformed payload at byte 1: unknown type code 85");
        assertThat(rec.bytesFedAtError).isEqualTo(stream.length);
    }

    @Test
    void aConnectionClosedMidFrameReportsTheTruncatedFrameEvenIfItsBytesWereBad() {
        byte[] payload = new byte[1000];
        payload[0] = 0x55;
        byte[] stream = frame(payload, 0);
        Recorder rec = feed(java.util.Arrays.copyOf(stream, 316), 50, true);
        assertThat(rec.error).isInstanceOf(RayforceProtocolError.class)
                .hasMessage("connection closed in the middle of a frame (316 of 1016 bytes received)");
    }

    @Test
    void aSymbolWithoutItsNulIsReportedAtItsStart() {
        // a symbol vector of 2: "ab", then 100,000 bytes with no NUL
        ByteBuffer b = ByteBuffer.allocate(10 + 3 + 100_000).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 12).put((byte) 0).putLong(2).put(new byte[] {'a', 'b', 0});
        while (b.hasRemaining()) {
            b.put((byte) 'c');
        }
        Recorder rec = feed(frame(b.array(), 0), 9000, true);
        assertThat(rec.error).hasMessage("malformed payload at byte 13: symbol without its terminating NUL byte");
    }
}
