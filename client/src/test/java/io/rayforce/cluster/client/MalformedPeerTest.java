package io.rayforce.cluster.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rayforce.cluster.client.testing.FakePeer;
import io.rayforce.cluster.client.testing.Hex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * A peer that breaks the protocol ends that connection with a clear error: no hang, no large
 * allocation from a hostile length field, and no exception left unhandled on a Netty thread.
 */
class MalformedPeerTest {
    private final ListAppender<ILoggingEvent> nettyLog = new ListAppender<>();

    @BeforeEach
    void watchNettyLog() {
        nettyLog.start();
        ((Logger) LoggerFactory.getLogger("io.netty")).addAppender(nettyLog);
    }

    @AfterEach
    void noUnhandledExceptionsOnNettyThreads() {
        ((Logger) LoggerFactory.getLogger("io.netty")).detachAppender(nettyLog);
        assertThat(nettyLog.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains("reached at the tail of the pipeline"));
    }

    static byte[] header(String magic, int version, int flags, int endian, int type, long size) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(Hex.parse(magic)).put((byte) version).put((byte) flags).put((byte) endian).put((byte) type).putLong(size);
        return b.array();
    }

    static byte[] frame(byte[] payload) {
        byte[] h = header("fadeface", 3, 0, 0, 2, payload.length);
        byte[] f = new byte[16 + payload.length];
        System.arraycopy(h, 0, f, 0, 16);
        System.arraycopy(payload, 0, f, 16, payload.length);
        return f;
    }

    static byte[] deepList(int depth) {
        // depth nested one-element lists around an i64 atom
        ByteBuffer b = ByteBuffer.allocate(depth * 10 + 10).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < depth; i++) {
            b.put((byte) 0).put((byte) 0).putLong(1);
        }
        b.put((byte) -5).put((byte) 0).putLong(7);
        return b.array();
    }

    /** Responses to the client's first request, and what the client must say about them. */
    static Stream<Arguments> badResponses() {
        return Stream.of(
                Arguments.of("wrong magic", header("deadbeef", 3, 0, 0, 2, 10), "bad frame prefix deadbeef"),
                Arguments.of("wrong version", header("fadeface", 4, 0, 0, 2, 10), "wire version 4"),
                Arguments.of("big endian", header("fadeface", 3, 0, 1, 2, 10), "big-endian"),
                Arguments.of("unknown message type", header("fadeface", 3, 0, 0, 9, 10), "unknown message type 9"),
                Arguments.of("empty payload", header("fadeface", 3, 0, 0, 2, 0), "payload of 0 bytes"),
                Arguments.of("negative size", header("fadeface", 3, 0, 0, 2, -5), "payload of -5 bytes"),
                Arguments.of("hostile size", header("fadeface", 3, 0, 0, 2, 1L << 40), "payload of 1099511627776 bytes"),
                Arguments.of("unknown type code", frame(Hex.parse("55000000")), "unknown type code 85"),
                Arguments.of("unknown atom type", frame(Hex.parse("a000")), "unknown atom type code"),
                Arguments.of("vector longer than frame", frame(Hex.parse("050000ca9a3b00000000" + "01")),
                        "declares 1000000000 elements"),
                Arguments.of("string longer than frame", frame(Hex.parse("f300ff00000000000000" + "41")),
                        "string declares 255 bytes"),
                Arguments.of("symbol without NUL", frame(Hex.parse("f4204142")), "without its terminating NUL"),
                Arguments.of("trailing bytes", frame(Hex.parse("fb000300000000000000ffff")), "2 trailing bytes"),
                Arguments.of("nesting too deep", frame(deepList(600)), "nesting deeper than 512"),
                Arguments.of("table with ragged columns",
                        frame(Hex.parse("6200" + "0c000200000000000000610062000000" + "0200000000000000"
                                + "05000100000000000000" + "0100000000000000"
                                + "05000200000000000000" + "0100000000000000" + "0200000000000000")),
                        "has 2 rows but column a has 1"),
                Arguments.of("bad compressed body", withFlags(frame(Hex.parse("ffffff0f0501")), 1), "cannot expand"));
    }

    static byte[] withFlags(byte[] f, int flags) {
        f[5] = (byte) flags;
        return f;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badResponses")
    void malformedResponseEndsTheConnectionWithAClearError(String what, byte[] response, String message) throws Exception {
        try (FakePeer peer = FakePeer.start((in, out) -> {
            FakePeer.acceptHandshake(in, out);
            FakePeer.readFrame(in);
            out.write(response);
            out.flush();
            FakePeer.awaitClose(in);
        })) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try (TCPClient client = new TCPClient("127.0.0.1", peer.port())) {
                    assertThatThrownBy(() -> client.execute("(+ 1 2)")).isInstanceOf(RayforceProtocolError.class)
                            .hasMessageContaining(message);
                    assertThat(client.isAlive()).isFalse();
                }
            });
        }
    }

    @Test
    void peerClosingMidFrameFailsTheRequest() throws Exception {
        try (FakePeer peer = FakePeer.start((in, out) -> {
            FakePeer.acceptHandshake(in, out);
            FakePeer.readFrame(in);
            out.write(header("fadeface", 3, 0, 0, 2, 1000));
            out.write(new byte[300]);
            out.flush();
        })) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try (TCPClient client = new TCPClient("127.0.0.1", peer.port())) {
                    assertThatThrownBy(() -> client.execute("(+ 1 2)")).isInstanceOf(RayforceTCPError.class)
                            .hasMessageContaining("closed");
                }
            });
        }
    }

    @Test
    void otherWireVersionIsNamedInTheError() throws Exception {
        try (FakePeer peer = FakePeer.start((in, out) -> {
            in.readFully(new byte[2]);
            out.write(new byte[] {4, 0});
            out.flush();
            FakePeer.awaitClose(in);
        })) {
            assertThatThrownBy(() -> new TCPClient("127.0.0.1", peer.port())).isInstanceOf(RayforceTCPError.class)
                    .hasMessageContaining("server speaks wire version 4, this client speaks wire version 3");
        }
    }

    @Test
    void notARayforceServerAtAll() throws Exception {
        try (FakePeer peer = FakePeer.start((in, out) -> {
            out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
            out.flush();
            FakePeer.awaitClose(in);
        })) {
            assertThatThrownBy(() -> new TCPClient("127.0.0.1", peer.port())).isInstanceOf(RayforceTCPError.class)
                    .hasMessageContaining("server speaks wire version 72");
        }
    }

    @Test
    void silentServerTimesOutTheHandshake() throws Exception {
        try (FakePeer peer = FakePeer.start((in, out) -> FakePeer.awaitClose(in))) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> new TCPClient("127.0.0.1",
                    peer.port(), ClientOptions.DEFAULT.withConnectTimeout(Duration.ofMillis(500))))
                    .isInstanceOf(RayforceTCPError.class).hasMessageContaining("no handshake reply"));
        }
    }

    @Test
    void serverClosingDuringHandshake() throws Exception {
        try (FakePeer peer = FakePeer.start((in, out) -> in.readFully(new byte[2]))) {
            assertThatThrownBy(() -> new TCPClient("127.0.0.1", peer.port())).isInstanceOf(RayforceTCPError.class)
                    .hasMessageContaining("closed the connection during the handshake");
        }
    }

    @Test
    void unknownAuthMode() throws Exception {
        try (FakePeer peer = FakePeer.start((in, out) -> {
            in.readFully(new byte[2]);
            out.write(new byte[] {3, 7});
            out.flush();
            FakePeer.awaitClose(in);
        })) {
            assertThatThrownBy(() -> new TCPClient("127.0.0.1", peer.port())).isInstanceOf(RayforceTCPError.class)
                    .hasMessageContaining("unknown auth mode 7");
        }
    }

    @Test
    void responseWithoutRequest() throws Exception {
        try (FakePeer peer = FakePeer.start((in, out) -> {
            FakePeer.acceptHandshake(in, out);
            out.write(frame(Hex.parse("fb000300000000000000")));
            out.flush();
            FakePeer.awaitClose(in);
        })) {
            try (TCPClient client = new TCPClient("127.0.0.1", peer.port())) {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !client.isAlive());
                assertThatThrownBy(() -> client.execute("(+ 1 2)")).isInstanceOf(RayforceTCPError.class);
            }
        }
    }

    @Test
    void serverSyncRequestIsAnsweredWithAnError() throws Exception {
        byte[][] answer = new byte[1][];
        try (FakePeer peer = FakePeer.start((in, out) -> {
            FakePeer.acceptHandshake(in, out);
            byte[] req = frame(Hex.parse("fb000100000000000000"));
            req[7] = 1; // sync from the server's side
            out.write(req);
            out.flush();
            answer[0] = FakePeer.readFrame(in);
            FakePeer.awaitClose(in);
        })) {
            try (TCPClient client = new TCPClient("127.0.0.1", peer.port())) {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> answer[0] != null);
                assertThat(Hex.of(answer[0])).startsWith("7f6e7969"); // error "nyi"
                assertThat(client.isAlive()).isTrue();
            }
        } catch (IOException ignored) {
            // the peer's socket closes when the client does
        }
    }
}
