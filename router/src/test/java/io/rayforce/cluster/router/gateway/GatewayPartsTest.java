package io.rayforce.cluster.router.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rayforce.cluster.client.ipc.FrameHeader;
import io.rayforce.cluster.client.ipc.MessageType;
import io.rayforce.cluster.client.ipc.RawFrame;
import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import io.rayforce.cluster.client.value.Str;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gateway's small parts alone: the frame scanner, the password check, and the cancel rules. */
class GatewayPartsTest {

    /** Collects what reaches the end of the pipeline: bytes and cancel events, in order. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> seen = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            for (byte x : bytes) {
                seen.add(x);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            seen.add(evt);
        }
    }

    @Test
    void scannerTakesCancelBytesOutBetweenFramesOnly() {
        Recorder r = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(new InboundFrameScanner(Wire.MAX_PAYLOAD_BYTES), r);
        byte[] frame = ValueWriter.frame(MessageType.SYNC, Str.of("(+ 1 2)"));
        // a cancel byte before the frame, the frame split in three pieces (one starting with '!'-like payload bytes), then a cancel
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'!'}));
        ch.writeInbound(Unpooled.wrappedBuffer(frame, 0, 5));
        ch.writeInbound(Unpooled.wrappedBuffer(frame, 5, 14));
        ch.writeInbound(Unpooled.wrappedBuffer(concat(java.util.Arrays.copyOfRange(frame, 19, frame.length), new byte[] {'!'})));
        List<Object> expected = new ArrayList<>();
        expected.add(InboundFrameScanner.CANCEL);
        for (byte b : frame) {
            expected.add(b);
        }
        expected.add(InboundFrameScanner.CANCEL);
        assertThat(r.seen).isEqualTo(expected);
    }

    @Test
    void scannerMapsUnknownMessageTypesToAsync() {
        Recorder r = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(new InboundFrameScanner(Wire.MAX_PAYLOAD_BYTES), r);
        byte[] frame = ValueWriter.frame(MessageType.SYNC, Str.of("x"));
        frame[7] = 9;
        ch.writeInbound(Unpooled.wrappedBuffer(frame.clone()));
        assertThat(r.seen.get(7)).isEqualTo((byte) 0);
        frame[7] = 1;
        ch.writeInbound(Unpooled.wrappedBuffer(frame.clone()));
        assertThat(r.seen.get(frame.length + 7)).as("sync stays sync").isEqualTo((byte) 1);
        assertThat(FrameHeader.read(java.nio.ByteBuffer.wrap(frame)).type()).isEqualTo(MessageType.SYNC);
    }

    @Test
    void passwordCheckFollowsTheEngineRules() {
        PasswordCheck pw = new PasswordCheck("pw");
        assertThat(pw.accepts(bytes("u:pw\0"))).isTrue();
        assertThat(pw.accepts(bytes(":pw"))).isTrue();
        assertThat(pw.accepts(bytes("pw"))).isTrue();
        assertThat(pw.accepts(bytes("u:x:pw"))).isFalse();
        assertThat(pw.accepts(bytes(":pw\0x"))).isFalse();
        assertThat(pw.accepts(bytes(""))).isFalse();
        assertThat(pw.accepts(bytes("u:PW"))).isFalse();
        assertThat(PasswordCheck.user(bytes("alice:pw"))).isEqualTo("alice");
    }

    @Test
    void writesAreRecognisedAnywhereInTheTree() {
        for (String w : List.of("(insert 't (table [a] (list [1])))", "(upsert 't 1 x)", "(update {from: 't a: 1})",
                "(delete {from: 't where: (> a 1)})", "(set s (select {from: t}))", "(count (set s t))",
                "(.cluster.create 't x 'a)", "(.cluster.drop 't)")) {
            assertThat(WriteRequests.mayWrite(RayfallReader.read(w))).as(w).isTrue();
        }
        for (String r : List.of("(select {from: t where: (> a 1)})", "(count t)", "t", "(+ 1 2)", "(left-join [k] a b)")) {
            assertThat(WriteRequests.mayWrite(RayfallReader.read(r))).as(r).isFalse();
        }
    }

    @Test
    void aStartedWriteIgnoresCancelAndAReadIsInterrupted() throws Exception {
        RawFrame frame = new RawFrame(new FrameHeader(0, MessageType.SYNC, 1), new byte[] {0});
        InFlightRequest write = new InFlightRequest(frame);
        assertThat(write.begin()).isTrue();
        assertThat(write.makeUncancellable()).isTrue();
        write.cancel("the client disconnected");
        assertThat(write.cancelReason()).isNull();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        write.end();

        InFlightRequest early = new InFlightRequest(frame);
        early.cancel("the client sent cancel");
        assertThat(early.begin()).as("cancelled before it started").isFalse();
        assertThat(early.makeUncancellable()).isFalse();

        InFlightRequest read = new InFlightRequest(frame);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            read.begin();
            started.countDown();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            } finally {
                read.end();
            }
        });
        worker.start();
        started.await();
        read.cancel("the client sent cancel");
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(read.cancelReason()).isEqualTo("the client sent cancel");
        worker.join();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
