package io.rayforce.cluster.router.gateway;

import static io.rayforce.cluster.client.query.Expr.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.ipc.Compression;
import io.rayforce.cluster.client.ipc.MessageType;
import io.rayforce.cluster.client.ipc.RawFrame;
import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.query.SelectQuery;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.client.rayfall.RayfallReader;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayError;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayNull;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.router.testing.SameAnswer;
import io.rayforce.cluster.router.testing.TradeData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway speaks the engine's protocol: the Java TCPClient connects as to one server, sends
 * Rayfall text and expression trees, async messages and pipelined requests, gets engine-like
 * errors and keeps a usable connection; malformed input gets what the engine gives it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayProtocolTest {
    private GatewayFixture cluster;
    private TCPClient client;

    @BeforeAll
    void start() {
        cluster = new GatewayFixture(3, GatewayOptions.DEFAULT);
        cluster.shards().createTable("trades", "sym", 4, 2, TradeData.COLUMNS);
        cluster.shards().insert("trades", TradeData.rows(1, 0, 800));
        client = cluster.connect();
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @Test
    void answersRayfallTextLikeOneServer() {
        assertThat(client.execute("(+ 1 2)")).isEqualTo(new I64Atom(3));
        for (String q : List.of("(count trades)", "(select {from: trades where: (> qty 500)})",
                "(select {s: (sum qty) n: (count id) by: sym from: trades})")) {
            SameAnswer.assertSame(q, cluster.shards().oracle().execute(q), client.execute(q));
        }
    }

    @Test
    void answersExpressionTreesAndQueryObjects() {
        SelectQuery q = Table.of("trades").select(col("qty").sum().as("total")).by("side");
        SameAnswer.assertSame(q.toString(), cluster.shards().oracle().execute(q), client.execute(q));
        RayValue tree = RayfallReader.read("(select {id: id from: trades where: (== sym 'IBM)})");
        SameAnswer.assertSame("tree", cluster.shards().oracle().execute(tree), client.execute(tree));
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        List<CompletableFuture<RayValue>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            answers.add(client.submit(i % 5 == 0 ? "(count trades)" : "(+ " + i + " 1000)"));
        }
        for (int i = 0; i < 50; i++) {
            RayValue expected = i % 5 == 0 ? new I64Atom(800) : new I64Atom(i + 1000);
            assertThat(answers.get(i).join()).as("answer %d", i).isEqualTo(expected);
        }
    }

    @Test
    void engineErrorsKeepTheirCodeAndTheConnection() {
        TCPClient c = cluster.connect();
        assertThatThrownBy(() -> c.execute("(+ 1 'a)"))
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("type"));
        assertThat(((Str) c.execute("(.cluster.lastError)")).value()).contains("type");
        assertThatThrownBy(() -> c.execute("(+ 1"))
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("parse"));
        assertThat(((Str) c.execute("(.cluster.lastError)")).value()).contains("syntax error");
        assertThatThrownBy(() -> c.execute("(select {from: trades where: (> nosuchcol 1)})"))
                .isInstanceOf(RayforceEvaluationError.class);
        assertThat(c.execute("(+ 2 3)")).isEqualTo(new I64Atom(5));
        assertThat(c.isAlive()).isTrue();
    }

    @Test
    void clusterErrorsGetShortCodesAndTheFullTextStaysRetrievable() {
        TCPClient c = cluster.connect();
        assertThat(c.execute("(.cluster.lastError)")).as("no error yet").isEqualTo(Str.of(""));
        assertThatThrownBy(() -> c.execute("(read \"/etc/passwd\")"))
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("access"));
        assertThat(((Str) c.execute("(.cluster.lastError)")).value()).contains("'read'");
        c.execute("(set pingf (fn [x] (pongf x)))");
        c.execute("(set pongf (fn [x] (pingf x)))");
        assertThatThrownBy(() -> c.execute("(pingf 1)")).as("functions calling each other are inlined, so recursion must use self")
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("nyi"));
        assertThat(((Str) c.execute("(.cluster.lastError)")).value()).contains("self");
        assertThatThrownBy(() -> c.execute("(.sys.exit 0)"))
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("access"));
        assertThat(c.execute("(count trades)")).isEqualTo(new I64Atom(800));
    }

    @Test
    void lastErrorIsPerConnection() {
        TCPClient a = cluster.connect();
        TCPClient b = cluster.connect();
        assertThatThrownBy(() -> a.execute("(+ 1 'a)")).isInstanceOf(RayforceEvaluationError.class);
        assertThat(((Str) a.execute("(.cluster.lastError)")).value()).isNotEmpty();
        assertThat(b.execute("(.cluster.lastError)")).isEqualTo(Str.of(""));
        assertThat(b.execute(RayList.of(Name.of(".cluster.lastError")))).isEqualTo(Str.of(""));
    }

    @Test
    void asyncMessagesRunInOrderWithoutAnAnswer() {
        TCPClient c = cluster.connect();
        c.sendAsync("(+ 1 'boom)");
        c.sendAsync("(+ 40 2)");
        // an answer to either async message would be taken as this one's
        assertThat(c.execute("(+ 2 2)")).isEqualTo(new I64Atom(4));
        assertThat(((Str) c.execute("(.cluster.lastError)")).value()).as("the async error was evaluated").contains("type");
    }

    @Test
    void emptyAndNullStringsAnswerNull() throws Exception {
        assertThat(client.execute("")).isEqualTo(RayNull.INSTANCE);
        assertThatThrownBy(() -> client.execute("   "))
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("parse"));
    }

    @Test
    void verboseFlagWrapsTheAnswerWithThePrintedOutput() throws Exception {
        try (RawConnection raw = RawConnection.open(cluster.port())) {
            raw.write(RawConnection.frame(ResponseFrames.FLAG_VERBOSE, 1, ValueWriter.payload(Str.of("(+ 1 2)"))));
            RawFrame f = raw.readFrame();
            assertThat(f.header().flags()).isZero();
            assertThat(io.rayforce.cluster.client.ipc.MessageDecoder.decode(f,
                    io.rayforce.cluster.client.ipc.ValueReader.Mode.RESULT, Wire.MAX_PAYLOAD_BYTES).value())
                    .isEqualTo(RayList.of(Str.of(""), new I64Atom(3)));
        }
    }

    @Test
    void undecodablePayloadsGetNullAndTheConnectionStaysOpen() throws Exception {
        try (RawConnection raw = RawConnection.open(cluster.port())) {
            byte[][] bad = {
                {0x50}, // unknown type
                {(byte) 0xfb, 0, 1, 2}, // truncated i64
                {0x05, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0}, // vector claiming 4e9 items
                {0x7f, 't', 'y', 'p', 'e', 0, 0, 0, 0}, // an error object sent as a value
            };
            for (byte[] payload : bad) {
                raw.write(RawConnection.frame(0, 1, payload));
                assertThat(raw.readValue()).isEqualTo(RayNull.INSTANCE);
            }
            // a bad compressed body is a decode failure too
            raw.write(RawConnection.frame(Wire.FLAG_COMPRESSED, 1, new byte[] {(byte) 0xff, (byte) 0xff, 0, 0, 1, 2}));
            assertThat(raw.readValue()).isEqualTo(RayNull.INSTANCE);
            raw.sendSync(Str.of("(.cluster.lastError)"));
            assertThat(((Str) raw.readValue()).value()).contains("could not be decoded");
            raw.sendSync(Str.of("(+ 1 2)"));
            assertThat(raw.readValue()).isEqualTo(new I64Atom(3));
        }
    }

    @Test
    void compressedRequestsAreAccepted() throws Exception {
        try (RawConnection raw = RawConnection.open(cluster.port())) {
            byte[] packed = Compression.compress(ValueWriter.payload(Str.of("(count \"" + "a".repeat(5000) + "\")")));
            raw.write(RawConnection.frame(Wire.FLAG_COMPRESSED, 1, packed));
            assertThat(raw.readValue()).isEqualTo(new I64Atom(5000));
        }
    }

    @Test
    void responseFramesFromClientsAreDroppedAndOtherTypesRunAsAsync() throws Exception {
        try (RawConnection raw = RawConnection.open(cluster.port())) {
            raw.write(RawConnection.frame(0, 2, ValueWriter.payload(Str.of("(+ 1 'dropped)"))));
            raw.sendSync(Str.of("(.cluster.lastError)"));
            assertThat(raw.readValue()).as("a response frame is not evaluated").isEqualTo(Str.of(""));
            raw.write(RawConnection.frame(0, 9, ValueWriter.payload(Str.of("(+ 1 'ran)"))));
            raw.sendSync(Str.of("(.cluster.lastError)"));
            assertThat(((Str) raw.readValue()).value()).as("message type 9 is evaluated as async").contains("type");
            raw.sendSync(Str.of("(+ 1 2)"));
            assertThat(raw.readValue()).isEqualTo(new I64Atom(3));
        }
    }

    @Test
    void badHeadersCloseTheConnectionWithoutAnAnswer() throws Exception {
        byte[] ok = ValueWriter.frame(MessageType.SYNC, Str.of("(+ 1 2)"));
        List<byte[]> bad = new ArrayList<>();
        byte[] magic = ok.clone();
        magic[1] = 0x00;
        bad.add(magic);
        byte[] version = ok.clone();
        version[4] = 2;
        bad.add(version);
        byte[] endian = ok.clone();
        endian[6] = 1;
        bad.add(endian);
        bad.add(RawConnection.frame(0, 1, new byte[0])); // size 0
        for (byte[] frame : bad) {
            try (RawConnection raw = RawConnection.open(cluster.port())) {
                raw.write(frame);
                assertThat(raw.closedByPeer()).as("closed after %s", io.rayforce.cluster.client.testing.Hex.of(
                        java.util.Arrays.copyOf(frame, 16))).isTrue();
            }
        }
        // differs from the engine: a frame over the request limit is answered with error limit, then closed
        byte[] huge = ok.clone();
        java.nio.ByteBuffer.wrap(huge).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(8, Wire.MAX_PAYLOAD_BYTES + 1L);
        try (RawConnection raw = RawConnection.open(cluster.port())) {
            raw.write(huge);
            assertThat(raw.readValue()).isEqualTo(new io.rayforce.cluster.client.value.RayError("limit"));
            assertThat(raw.closedByPeer()).as("closed after the oversized frame").isTrue();
        }
        assertThat(client.execute("(+ 1 2)")).as("the gateway serves others meanwhile").isEqualTo(new I64Atom(3));
    }

    @Test
    void handshakeAndFrameMayArriveInOneWrite() throws Exception {
        try (RawConnection raw = new RawConnection("127.0.0.1", cluster.port())) {
            byte[] frame = ValueWriter.frame(MessageType.SYNC, Str.of("(+ 20 22)"));
            byte[] both = new byte[2 + frame.length];
            both[0] = 3;
            System.arraycopy(frame, 0, both, 2, frame.length);
            raw.write(both);
            assertThat(raw.in.readUnsignedByte()).isEqualTo(3);
            assertThat(raw.in.readUnsignedByte()).isZero();
            assertThat(raw.readValue()).isEqualTo(new I64Atom(42));
        }
    }

    @Test
    void wrongClientVersionIsClosedWithoutReply() throws Exception {
        for (int version : new int[] {2, 4}) {
            try (RawConnection raw = new RawConnection("127.0.0.1", cluster.port())) {
                raw.write(version, 0);
                assertThat(raw.closedByPeer()).as("version %d", version).isTrue();
            }
        }
    }

    @Test
    void errorValueOnTheWireIsTheEngineErrorLayout() throws Exception {
        try (RawConnection raw = RawConnection.open(cluster.port())) {
            raw.sendSync(Str.of("(+ 1 'a)"));
            RawFrame f = raw.readFrame();
            assertThat(io.rayforce.cluster.client.testing.Hex.of(f.payload())).isEqualTo("7f7479706500000000");
            raw.sendSync(Str.of("(exit 3)"));
            assertThat(raw.readValue()).isEqualTo(new RayError("access"));
        }
    }
}
