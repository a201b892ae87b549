package io.rayforce.cluster.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.rayforce.cluster.client.testing.FakePeer;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Requests are written to the socket by the threads that send them, and what the socket cannot
 * take at once is queued: frames sent from many threads at once, some far larger than the socket
 * takes at a time, must still reach the server whole and in one order, and each answer must go
 * to its own request.
 */
class SendOrderTest {
    static byte[] response(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(16 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0xfa, (byte) 0xde, (byte) 0xfa, (byte) 0xce, 3, 0, 0, 2}).putLong(payload.length).put(payload);
        return b.array();
    }

    @Test
    void framesFromManyThreadsStayWholeAndAnswersFindTheirRequests() throws Exception {
        int threads = 6;
        int perThread = 60;
        // a server that starts reading late (the client's socket buffer fills up) and echoes every payload
        try (FakePeer peer = FakePeer.start((in, out) -> {
            FakePeer.acceptHandshake(in, out);
            Thread.sleep(300);
            for (int i = 0; i < threads * perThread; i++) {
                out.write(response(FakePeer.readFrame(in)));
                out.flush();
            }
            FakePeer.awaitClose(in);
        })) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                try (TCPClient client = new TCPClient("127.0.0.1", peer.port())) {
                    List<Future<?>> workers = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        int thread = t;
                        workers.add(pool.submit(() -> {
                            List<RayValue> sent = new ArrayList<>();
                            List<CompletableFuture<RayValue>> answers = new ArrayList<>();
                            for (int i = 0; i < perThread; i++) {
                                RayValue v = i % 30 == 7 ? new I64Vector(new long[1_000_000 + thread]) : new Str("t" + thread + " r" + i);
                                sent.add(v);
                                answers.add(client.submit(v));
                            }
                            for (int i = 0; i < perThread; i++) {
                                assertThat(answers.get(i).get()).isEqualTo(sent.get(i));
                            }
                            return null;
                        }));
                    }
                    for (Future<?> w : workers) {
                        w.get();
                    }
                    assertThat(client.isAlive()).isTrue();
                } finally {
                    pool.shutdownNow();
                }
            });
        } catch (IOException ignored) {
            // the peer's socket closes when the client does
        }
    }
}
