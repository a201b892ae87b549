package io.rayforce.cluster.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.engine.NativeServer;
import io.rayforce.cluster.client.engine.ServerOptions;
import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.testing.EngineExtension;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayValue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** TCPClient against a real engine: rayforce-py's IPC guide examples and the client's contract. */
class TCPClientTest {
    @RegisterExtension
    static final EngineExtension engine = new EngineExtension();

    /** A query the engine spends a few seconds on and checks for cancellation. */
    static final String SLOW = "(do (set i 0) (while (< i 300000000) (set i (+ i 1))) i)";

    @Test
    void guideExamples() {
        try (TCPClient client = new TCPClient(engine.host(), engine.port())) {
            assertThat(client.execute("(+ 1 2)")).isEqualTo(new I64Atom(3));
            assertThat(client.execute("(til 5)")).isEqualTo(I64Vector.of(0, 1, 2, 3, 4));
            assertThat(client).hasToString("TCPClient(" + engine.host() + ":" + engine.port() + ") - alive: true");
            assertThat(client.isAlive()).isTrue();
            client.close();
            assertThat(client.isAlive()).isFalse();
            assertThat(client).hasToString("TCPClient(" + engine.host() + ":" + engine.port() + ") - alive: false");
            assertThatThrownBy(() -> client.execute("(+ 1 2)")).isInstanceOf(RayforceTCPError.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void aReadOnlyRequestIsAnsweredAndJournaledWithTheRestrictedFlag(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("engine");
        try (NativeServer server = NativeServer.startOnFreePort(ServerOptions.onPort(1).journal(base, false));
             TCPClient client = new TCPClient(server.host(), server.port())) {
            assertThat(client.execute("(set a 41)")).isNotNull();
            assertThat(client.executeReadOnly("(+ a 1)")).isEqualTo(new I64Atom(42));
            assertThatThrownBy(() -> client.executeReadOnly("(+ a 'x)"))
                    .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("type"))
                    .hasMessageContaining("(+ a 'x)");
        }
        // the journal: a 16-byte preamble, then one frame per sync request; byte 5 of a frame is its flags
        ByteBuffer log = ByteBuffer.wrap(Files.readAllBytes(Path.of(base + ".log"))).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> flags = new ArrayList<>();
        for (int at = 16; at < log.limit(); at += 16 + (int) log.getLong(at + 8)) {
            flags.add(log.get(at + 5) & 0xFF);
        }
        assertThat(flags).containsExactly(0, Wire.FLAG_RESTRICTED, Wire.FLAG_RESTRICTED);
    }

    @Test
    void wrongPortFailsWithTcpError() {
        int nobody = NativeServer.freePort();
        assertThatThrownBy(() -> new TCPClient("127.0.0.1", nobody)).isInstanceOf(RayforceTCPError.class)
                .hasMessageContaining("cannot connect to 127.0.0.1:" + nobody);
        assertThatThrownBy(() -> new TCPClient("127.0.0.1", 0)).isInstanceOf(RayforceTCPError.class)
                .hasMessageContaining("invalid port");
    }

    @Test
    void evaluationErrorsCarryTheCodeAndLeaveTheConnectionUsable() {
        TCPClient client = engine.newClient();
        assertThatThrownBy(() -> client.execute("(+ 1 'a)"))
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("type"))
                .hasMessageContaining("(+ 1 'a)");
        assertThatThrownBy(() -> client.execute("no_such_global"))
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("name"));
        assertThatThrownBy(() -> client.execute("(til -1)"))
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("domain"));
        assertThatThrownBy(() -> client.execute("(+ 1"))
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("parse"));
        assertThat(client.isAlive()).isTrue();
        assertThat(client.execute("(+ 1 2)")).isEqualTo(new I64Atom(3));
    }

    @Test
    void asyncSendIsEvaluatedInOrderWithoutReply() {
        TCPClient client = engine.newClient();
        client.sendAsync("(set async_x 41)");
        assertThat(client.execute("(+ async_x 1)")).isEqualTo(new I64Atom(42));
    }

    @Test
    void pipelinedRequestsFromManyThreadsGetTheirOwnAnswers() throws Exception {
        TCPClient client = engine.newClient();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Long>>> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int base = t * 1000;
                workers.add(pool.submit(() -> {
                    List<CompletableFuture<RayValue>> inFlight = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        inFlight.add(client.submit("(+ " + (base + i) + " 1)"));
                    }
                    List<Long> answers = new ArrayList<>();
                    for (CompletableFuture<RayValue> f : inFlight) {
                        answers.add(((I64Atom) f.get()).value());
                    }
                    return answers;
                }));
            }
            for (int t = 0; t < 8; t++) {
                List<Long> answers = workers.get(t).get();
                for (int i = 0; i < 200; i++) {
                    assertThat(answers.get(i)).isEqualTo(t * 1000L + i + 1);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTimedOutRequestIsCancelledOnTheServerAndTheConnectionKept() {
        // its own server: the slow query would hold up other tests (the engine evaluates one request at a time)
        try (NativeServer server = NativeServer.startOnFreePort();
             TCPClient client = new TCPClient(server.host(), server.port(),
                     ClientOptions.DEFAULT.withRequestTimeout(Duration.ofMillis(300)))) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> client.execute(SLOW)).isInstanceOf(RayforceTCPError.class)
                    .hasMessageContaining("no response from").hasMessageContaining("within 300 ms")
                    .hasMessageContaining("asked to cancel");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            // the engine stopped the loop and answered the cancel: the connection is still good
            assertThat(client.execute("(+ 1 2)")).isEqualTo(new I64Atom(3));
            assertThat(client.isAlive()).isTrue();
        }
    }

    @Test
    void aTimedOutRequestTheServerCannotCancelClosesTheConnection() {
        try (NativeServer server = NativeServer.startOnFreePort();
             TCPClient client = new TCPClient(server.host(), server.port(),
                     ClientOptions.DEFAULT.withRequestTimeout(Duration.ofMillis(300)))) {
            // the engine does not check for cancellation inside a map over a lambda
            assertThatThrownBy(() -> client.execute("(count (map (fn [x] (+ x 1)) (til 30000000)))"))
                    .isInstanceOf(RayforceTCPError.class).hasMessageContaining("within 300 ms");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !client.isAlive());
            assertThatThrownBy(() -> client.execute("(+ 1 2)")).isInstanceOf(RayforceTCPError.class);
        }
    }

    @Test
    void cancelInterruptsTheRunningQueryAndKeepsTheConnection() throws Exception {
        try (NativeServer server = NativeServer.startOnFreePort();
             TCPClient client = new TCPClient(server.host(), server.port())) {
            CompletableFuture<RayValue> slow = client.submit(SLOW);
            Thread.sleep(300);
            assertThat(slow).isNotDone();
            long t0 = System.nanoTime();
            client.cancel();
            assertThatThrownBy(slow::join).hasCauseInstanceOf(RayforceEvaluationError.class)
                    .cause().satisfies(e -> assertThat(((RayforceEvaluationError) e).code()).isEqualTo("cancel"));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            assertThat(client.execute("(+ 1 2)")).isEqualTo(new I64Atom(3));
        }
    }

    @Test
    void resultsOverTheFrameLimitFailClearlyUnlessTheLimitIsRaised() {
        try (NativeServer server = NativeServer.startOnFreePort()) {
            // (til 40000000) is a 320 MB result: the engine sends it, the default limit refuses it
            try (TCPClient client = new TCPClient(server.host(), server.port())) {
                assertThatThrownBy(() -> client.execute("(til 40000000)")).isInstanceOf(RayforceProtocolError.class)
                        .hasMessageContaining("320000010 bytes").hasMessageContaining("maxFrameBytes");
                assertThat(client.isAlive()).isFalse();
            }
            try (TCPClient client = new TCPClient(server.host(), server.port(),
                    ClientOptions.DEFAULT.withMaxFrameBytes(400 * 1024 * 1024))) {
                I64Vector v = (I64Vector) client.execute("(til 40000000)");
                assertThat(v.length()).isEqualTo(40_000_000);
                assertThat(v.get(39_999_999)).isEqualTo(39_999_999L);
            }
        }
    }

    @Test
    void tooLargeRequestIsRefusedBeforeSending() {
        TCPClient client = engine.newClient();
        byte[] big = new byte[257 * 1024 * 1024];
        assertThatThrownBy(() -> client.execute(new io.rayforce.cluster.client.value.U8Vector(big)))
                .isInstanceOf(RayforceError.class).hasMessageContaining("at most 268435456");
        assertThat(client.execute("(+ 1 2)")).isEqualTo(new I64Atom(3));
    }
}
