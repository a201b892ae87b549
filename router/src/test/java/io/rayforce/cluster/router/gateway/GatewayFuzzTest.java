package io.rayforce.cluster.router.gateway;

import static io.rayforce.cluster.client.testing.FuzzContract.withinTime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.ipc.MessageDecoder;
import io.rayforce.cluster.client.ipc.MessageType;
import io.rayforce.cluster.client.ipc.RawFrame;
import io.rayforce.cluster.client.ipc.ValueReader;
import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayError;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.testing.TradeData;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * Fuzzes the gateway's request handling over a real socket: a real {@link Gateway} in front of
 * a real engine holding a sharded table ({@link GatewayFixture}). Input byte 0 chooses whether
 * the target does the handshake (0) or the input carries it (otherwise); the rest is written to
 * a fresh connection as it is. Contract, per input:
 * <ul>
 *   <li>the gateway answers exactly the sync requests the stream holds ({@link WireModel}), each
 *   with one well-formed response frame, never an {@code error} (an unexpected failure), and
 *   closes the connection where the rules say it must (it may then drop answers still due);</li>
 *   <li>within 10 s; afterwards the gateway holds no connection but the witness's, a witness
 *   connection opened before fuzzing still gets {@code (+ 1 2)} answered, and nothing was logged
 *   at WARN or above (an unhandled exception).</li>
 * </ul>
 * The gateway's query timeout is 2 s, so an expensive query cannot stall the run.
 */
class GatewayFuzzTest {
    private static final Duration INPUT_TIME = Duration.ofSeconds(10);
    private static GatewayFixture fixture;
    private static TCPClient witness;
    private static final ListAppender<ILoggingEvent> LOGGED = new ListAppender<>();

    @BeforeAll
    static void start() {
        fixture = new GatewayFixture(1, GatewayOptions.DEFAULT.withQueryTimeout(Duration.ofSeconds(2)).withWorkers(4)
                .withHandshakeTimeout(Duration.ofSeconds(5)));
        fixture.shards().createTable("trades", "sym", 2, 1, TradeData.COLUMNS);
        fixture.shards().insert("trades", GatewayCorpus.trades(0));
        witness = fixture.connect();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        LOGGED.start();
        root.addAppender(LOGGED);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGGED);
        if (fixture != null) {
            fixture.close();
        }
    }

    @FuzzTest
    void answersOrCloses(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean handshakeDone = input[0] == 0;
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        withinTime(INPUT_TIME, () -> {
            try {
                exchange(stream, handshakeDone);
            } catch (IOException e) {
                throw new AssertionError("socket failure talking to the gateway: " + e, e);
            }
            awaitOnlyWitnessConnected();
            RayValue three = witness.execute("(+ 1 2)");
            if (!three.equals(new I64Atom(3))) {
                throw new AssertionError("the witness connection got " + three + " for (+ 1 2)");
            }
            List<ILoggingEvent> bad = LOGGED.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
            if (!bad.isEmpty()) {
                LOGGED.list.clear();
                throw new AssertionError("the gateway logged " + bad.get(0).getLevel() + ": " + bad.get(0).getFormattedMessage()
                        + (bad.get(0).getThrowableProxy() == null ? "" : " " + bad.get(0).getThrowableProxy().getClassName()
                        + ": " + bad.get(0).getThrowableProxy().getMessage()));
            }
            LOGGED.list.clear();
        });
    }

    private static void exchange(byte[] stream, boolean handshakeDone) throws IOException {
        WireModel expected = WireModel.of(stream, handshakeDone, Wire.MAX_PAYLOAD_BYTES);
        try (RawConnection c = new RawConnection("127.0.0.1", fixture.port())) {
            c.socket.setSoTimeout((int) INPUT_TIME.toMillis());
            if (handshakeDone) {
                c.write(3, 0);
                if (c.in.readUnsignedByte() != 3 || c.in.readUnsignedByte() != 0) {
                    throw new AssertionError("bad handshake reply");
                }
            }
            try {
                c.write(stream);
            } catch (IOException e) {
                if (expected.mustClose()) {
                    return; // the gateway closed while the stream was still being written
                }
                throw e;
            }
            if (!handshakeDone && stream.length >= 2 && stream[0] == Wire.VERSION) {
                if (c.in.readUnsignedByte() != 3 || c.in.readUnsignedByte() != 0) {
                    throw new AssertionError("bad handshake reply");
                }
            }
            for (int i = 0; i < expected.syncRequests(); i++) {
                RawFrame f;
                try {
                    f = c.readFrame();
                } catch (IOException e) {
                    if (expected.mustClose()) {
                        return; // closing may drop the answers still due
                    }
                    throw new AssertionError("answer " + (i + 1) + " of " + expected.syncRequests() + " missing: " + e, e);
                }
                checkAnswer(f);
            }
            if (expected.mustClose()) {
                c.socket.setSoTimeout(5000);
                if (expected.oversized()) {
                    try {
                        RayValue limit = MessageDecoder.decode(c.readFrame(), ValueReader.Mode.RESULT, Integer.MAX_VALUE - 8).value();
                        if (!limit.equals(new RayError(ErrorReply.LIMIT))) {
                            throw new AssertionError("an oversized request was answered " + limit + ", not error limit");
                        }
                    } catch (SocketTimeoutException e) {
                        throw new AssertionError("the gateway neither answered nor closed after an oversized frame", e);
                    } catch (IOException e) {
                        return; // closed without the answer (it may be lost to a reset)
                    }
                }
                try {
                    if (c.in.read() >= 0) {
                        throw new AssertionError("bytes after the answers on a connection the gateway must close");
                    }
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("the gateway did not close a connection that sent a bad header", e);
                } catch (IOException e) {
                    // reset: closed
                }
            }
        }
    }

    private static void checkAnswer(RawFrame f) {
        if (f.header().type() != MessageType.RESPONSE) {
            throw new AssertionError("answer frame of type " + f.header().type());
        }
        RayValue v = MessageDecoder.decode(f, ValueReader.Mode.RESULT, Integer.MAX_VALUE - 8).value();
        if (v instanceof RayError e && e.code().equals(ErrorReply.INTERNAL)) {
            throw new AssertionError("the gateway answered an unexpected failure (code error)");
        }
    }

    private static void awaitOnlyWitnessConnected() {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (fixture.gateway().connectionCount() > 1) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the gateway still holds " + fixture.gateway().connectionCount()
                        + " connections 5 s after the client closed");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
