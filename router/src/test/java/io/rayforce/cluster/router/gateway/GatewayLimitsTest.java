package io.rayforce.cluster.router.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.ipc.MessageType;
import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayError;
import io.rayforce.cluster.client.value.RayNull;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.router.testing.TradeData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Each of the gateway's limits (docs/gateway.md, Limits), over real sockets against a real
 * engine: going over one fails that request or that connection with a clear error, and the
 * gateway and its other clients carry on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayLimitsTest {
    static final int MAX_REQUEST = 64 * 1024;
    static final int MAX_CONNECTIONS = 24;
    static final Duration IDLE = Duration.ofMillis(1500);
    static final int QUEUED = 8;
    static final int PER_USER = 2;
    static final long MAX_ROWS = 300;

    private GatewayFixture cluster;
    private RawConnection witness;

    @BeforeAll
    void start() {
        GatewayLimits limits = GatewayLimits.DEFAULT.withMaxRequestBytes(MAX_REQUEST).withMaxConnections(MAX_CONNECTIONS)
                .withMaxQueuedRequests(QUEUED).withMaxQueriesPerUser(PER_USER);
        cluster = new GatewayFixture(1, GatewayOptions.DEFAULT.withLimits(limits).withQueryTimeout(Duration.ofSeconds(20)));
        cluster.shards().createTable("trades", "sym", 3, 1, TradeData.COLUMNS);
        cluster.shards().insert("trades", GatewayCorpus.trades(0)); // 400 rows
        try {
            witness = RawConnection.openFrom("127.0.0.2", cluster.port()); // another client address: its own quota
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    void stop() throws IOException {
        witness.close();
        cluster.close();
    }

    /** The gateway and other clients carry on: a connection opened before, from another address, is answered. */
    private void othersCarryOn() throws IOException {
        witness.sendSync(Str.of("(+ 1 2)"));
        assertThat(witness.readValue()).isEqualTo(new I64Atom(3));
    }

    @Test
    void anOversizedRequestIsAnsweredWithLimitThenClosed() throws Exception {
        byte[] big = ValueWriter.frame(MessageType.SYNC, Str.of("(count \"" + "x".repeat(MAX_REQUEST) + "\")"));
        try (RawConnection c = RawConnection.open(cluster.port())) {
            c.write(big);
            RayValue answer = c.readValue();
            assertThat(answer).isEqualTo(new RayError("limit"));
            assertThat(c.closedByPeer()).as("closed after the limit answer").isTrue();
        }
        // just under the limit is fine
        try (RawConnection c = RawConnection.open(cluster.port())) {
            c.sendSync(Str.of("(count \"" + "x".repeat(MAX_REQUEST - 100) + "\")"));
            assertThat(c.readValue()).isEqualTo(new I64Atom(MAX_REQUEST - 100));
        }
        othersCarryOn();
    }

    @Test
    void aCompressedRequestThatRestoresPastTheLimitIsRefused() throws Exception {
        byte[] payload = ValueWriter.payload(Str.of("(count \"" + "x".repeat(2 * MAX_REQUEST) + "\")"));
        byte[] packed = io.rayforce.cluster.client.ipc.Compression.compress(payload);
        assertThat(packed.length).isLessThan(MAX_REQUEST);
        try (RawConnection c = RawConnection.open(cluster.port())) {
            c.write(RawConnection.frame(1, 1, packed));
            assertThat(c.readValue()).as("an undecodable request is answered with null, as the engine does")
                    .isEqualTo(RayNull.INSTANCE);
            c.sendSync(Str.of("(.cluster.lastError)"));
            assertThat(((Str) c.readValue()).value()).contains("allowed 1.." + MAX_REQUEST);
        }
        othersCarryOn();
    }

    @Test
    void nestingDepthIsCheckedThroughTheGateway() throws Exception {
        try (RawConnection c = RawConnection.open(cluster.port())) {
            c.write(RawConnection.frame(0, 1, quotedChain(513)));
            assertThat(c.readValue()).as("513 levels").isEqualTo(RayNull.INSTANCE);
            c.sendSync(Str.of("(.cluster.lastError)"));
            assertThat(((Str) c.readValue()).value()).contains("nesting deeper than 512");
            c.sendSync(Str.of("(count " + "(list ".repeat(600) + "1" + ")".repeat(600) + ")"));
            RayValue deepText = c.readValue();
            assertThat(deepText).isInstanceOf(RayError.class);
            c.sendSync(Str.of("(.cluster.lastError)"));
            assertThat(((Str) c.readValue()).value()).contains("nesting deeper than 512");
            c.sendSync(Str.of("(+ 1 2)"));
            assertThat(c.readValue()).as("the connection is still usable").isEqualTo(new I64Atom(3));
        }
        othersCarryOn();
    }

    @Test
    void aVectorLongerThanItsFrameIsRefused() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(2 + 8 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 5).put((byte) 0).putLong(1_000_000_000L).putLong(1).putLong(2); // i64 vector of 1e9 in 26 bytes
        try (RawConnection c = RawConnection.open(cluster.port())) {
            c.write(RawConnection.frame(0, 1, b.array()));
            assertThat(c.readValue()).isEqualTo(RayNull.INSTANCE);
            c.sendSync(Str.of("(.cluster.lastError)"));
            assertThat(((Str) c.readValue()).value()).contains("declares 1000000000 elements but only 16 bytes remain");
        }
        othersCarryOn();
    }

    /**
     * A client that pipelines requests whose answers it never reads: its answers back up, its
     * requests wait, and once {@code QUEUED} wait the gateway stops reading from it, so the
     * client's own writes block instead of the gateway buffering them.
     */
    @Test
    void aPipeliningClientIsThrottledNotBuffered() throws Exception {
        // each request: 16 KiB of text (trailing blanks), each answer 8 MB
        byte[] request = ValueWriter.frame(MessageType.SYNC, Str.of("(til 1000000)" + " ".repeat(16 * 1024)));
        AtomicLong written = new AtomicLong();
        try (RawConnection flood = RawConnection.open(cluster.port())) {
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 20_000; i++) { // 320 MB if nothing pushed back
                        flood.out.write(request);
                        written.addAndGet(request.length);
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            writer.setDaemon(true);
            writer.start();
            Thread.sleep(4000);
            long after4s = written.get();
            Thread.sleep(2000);
            assertThat(written.get()).as("bytes the flood got to write").isEqualTo(after4s).isLessThan(48L * 1024 * 1024);
            assertThat(writer.isAlive()).as("the writer is blocked, not finished").isTrue();
            othersCarryOn();
            // the answers are all there, in order, once the client reads
            flood.socket.setSoTimeout(30_000);
            RayValue first = flood.readValue();
            assertThat(first).isInstanceOf(io.rayforce.cluster.client.value.I64Vector.class);
        }
        othersCarryOn();
    }

    /**
     * Two requests of one client address whose answers are not read hold both of its slots; a
     * third from that address is answered {@code limit}; another address is not affected; once
     * the answers are read the address may query again.
     */
    @Test
    void concurrentQueriesPerClientAddressAreLimited() throws Exception {
        try (RawConnection a = RawConnection.openFrom("127.0.0.3", cluster.port());
             RawConnection b = RawConnection.openFrom("127.0.0.3", cluster.port());
             RawConnection c = RawConnection.openFrom("127.0.0.3", cluster.port())) {
            a.sendSync(Str.of("(til 8000000)")); // 64 MB answers: their writes cannot finish unread
            b.sendSync(Str.of("(til 8000000)"));
            Thread.sleep(1500);
            c.sendSync(Str.of("(+ 1 2)"));
            assertThat(c.readValue()).isEqualTo(new RayError("limit"));
            othersCarryOn();
            a.socket.setSoTimeout(60_000);
            b.socket.setSoTimeout(60_000);
            assertThat(a.readFrame().payload().length).isEqualTo(10 + 8 * 8_000_000);
            assertThat(b.readFrame().payload().length).isEqualTo(10 + 8 * 8_000_000);
            Thread.sleep(200);
            c.sendSync(Str.of("(.cluster.lastError)")); // itself a request: it must wait for a free slot too
            assertThat(((Str) c.readValue()).value()).contains("address 127.0.0.3 already has 2 requests");
            c.sendSync(Str.of("(+ 1 2)"));
            assertThat(c.readValue()).isEqualTo(new I64Atom(3));
        }
    }

    /** A gateway of its own with a row limit: a plain select stops once its shard answers pass it; other shapes are checked merged. */
    @Test
    void answersWithTooManyRowsFailWithLimit() {
        GatewayOptions rows = GatewayOptions.DEFAULT.withLimits(GatewayLimits.DEFAULT.withMaxResultRows(MAX_ROWS));
        try (GatewayFixture f = new GatewayFixture(1, rows)) {
            f.shards().createTable("trades", "sym", 3, 1, TradeData.COLUMNS);
            f.shards().insert("trades", GatewayCorpus.trades(0)); // 400 rows
            TCPClient c = f.connect();
            assertThatThrownBy(() -> c.execute("(select {from: trades})"))
                    .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("limit"));
            assertThat(((Str) c.execute("(.cluster.lastError)")).value())
                    .contains("the shard answers of this query passed the limit of 300 rows");
            assertThat(((io.rayforce.cluster.client.value.RayTable) c.execute("(select {from: trades take: 300})")).rowCount())
                    .isEqualTo(300);
            assertThat(c.execute("(count (select {from: trades}))")).isEqualTo(new I64Atom(400));
            assertThatThrownBy(() -> c.execute("(til 301)"))
                    .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("limit"));
            assertThat(((Str) c.execute("(.cluster.lastError)")).value()).contains("the answer passed the limit of 300 rows");
            assertThat(c.execute("(+ 1 2)")).as("the connection stays usable").isEqualTo(new I64Atom(3));
        }
    }

    /** A gateway of its own with an idle timeout: idle and trickling connections are closed, a busy one is not. */
    @Test
    void idleConnectionsAreClosedButBusyOnesAreNot() throws Exception {
        GatewayOptions idleLimit = GatewayOptions.DEFAULT.withLimits(GatewayLimits.DEFAULT.withIdleTimeout(IDLE));
        try (GatewayFixture f = new GatewayFixture(1, idleLimit);
             RawConnection idle = RawConnection.open(f.port());
             RawConnection trickle = RawConnection.open(f.port());
             RawConnection busy = RawConnection.open(f.port())) {
            byte[] frame = ValueWriter.frame(MessageType.SYNC, Str.of("(+ 1 2)"));
            long end = System.nanoTime() + 3 * IDLE.toNanos();
            int sent = 0;
            boolean trickling = true;
            while (System.nanoTime() < end) {
                busy.write(frame);
                assertThat(busy.readValue()).isEqualTo(new I64Atom(3));
                if (trickling && sent < frame.length - 1) {
                    try {
                        trickle.write(frame[sent++] & 0xFF); // never completes a frame
                    } catch (IOException closed) {
                        trickling = false;
                    }
                }
                Thread.sleep(300);
            }
            idle.socket.setSoTimeout(1000);
            trickle.socket.setSoTimeout(1000);
            assertThat(idle.closedByPeer()).as("idle connection closed").isTrue();
            assertThat(trickle.closedByPeer()).as("trickling connection closed").isTrue();
            busy.write(frame);
            assertThat(busy.readValue()).as("busy connection open").isEqualTo(new I64Atom(3));
        }
    }

    @Test
    void connectionsPastTheLimitAreClosedAtOnce() throws Exception {
        java.util.List<RawConnection> open = new java.util.ArrayList<>();
        try {
            while (cluster.gateway().connectionCount() < MAX_CONNECTIONS) {
                open.add(RawConnection.open(cluster.port()));
            }
            try (RawConnection extra = new RawConnection("127.0.0.1", cluster.port())) {
                extra.socket.setSoTimeout(5000);
                assertThat(extra.closedByPeer()).as("the connection past the limit is closed").isTrue();
            }
            open.remove(0).close();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (cluster.gateway().connectionCount() >= MAX_CONNECTIONS && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            try (RawConnection again = RawConnection.open(cluster.port())) {
                again.sendSync(Str.of("(+ 1 2)"));
                assertThat(again.readValue()).isEqualTo(new I64Atom(3));
            }
        } finally {
            for (RawConnection c : open) {
                c.close();
            }
        }
        othersCarryOn();
    }

    /** {@code levels} one-item lists nested in each other around an i64 atom, as data ({@code quote}d). */
    static byte[] quotedChain(int levels) {
        ByteBuffer b = ByteBuffer.allocate(64 + levels * 10).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0).put((byte) 0).putLong(2).put((byte) -12).put((byte) 0).put("quote".getBytes()).put((byte) 0);
        for (int i = 0; i < levels; i++) {
            b.put((byte) 0).put((byte) 0).putLong(1);
        }
        b.put((byte) -5).put((byte) 0).putLong(7);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }
}
