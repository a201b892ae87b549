package io.rayforce.cluster.router.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.ipc.MessageDecoder;
import io.rayforce.cluster.client.ipc.RawFrame;
import io.rayforce.cluster.client.ipc.ValueReader;
import io.rayforce.cluster.client.ipc.Wire;
import io.rayforce.cluster.client.testing.Hex;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * How answers leave the gateway: replies over 2000 bytes are compressed for non-loopback peers
 * as the engine does (and both clients restore them), a result over the frame limit is error
 * {@code limit} on a connection that stays usable, and a shard no replica can answer is error
 * {@code shard} naming it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayResultsTest {
    private static final long LIMIT = 1_000_000;
    private static final I64Vector TIL_5000 = new I64Vector(LongStream.range(0, 5000).toArray());

    private GatewayFixture cluster;
    private String remote;

    @BeforeAll
    void start() throws Exception {
        cluster = new GatewayFixture(2, GatewayOptions.DEFAULT.withMaxResultBytes(LIMIT), "0.0.0.0");
        remote = nonLoopbackAddress();
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @Test
    void repliesToNonLoopbackPeersAreCompressed() throws Exception {
        try (RawConnection raw = new RawConnection(remote, cluster.port())) {
            raw.write(3, 0);
            raw.in.readFully(new byte[2]);
            raw.sendSync(Str.of("(til 5000)"));
            RawFrame f = raw.readFrame();
            assertThat(f.header().compressed()).as("compressed").isTrue();
            assertThat(f.payload().length).isLessThan(5000 * 8);
            assertThat(MessageDecoder.decode(f, ValueReader.Mode.RESULT, Wire.MAX_PAYLOAD_BYTES).value()).isEqualTo(TIL_5000);
            raw.sendSync(Str.of("(til 100)"));
            assertThat(raw.readFrame().header().compressed()).as("small replies are not compressed").isFalse();
        }
    }

    @Test
    void repliesToLoopbackPeersAreNotCompressed() throws Exception {
        try (RawConnection raw = RawConnection.open(cluster.port())) {
            raw.sendSync(Str.of("(til 5000)"));
            RawFrame f = raw.readFrame();
            assertThat(f.header().compressed()).isFalse();
            assertThat(f.payload().length).isEqualTo(10 + 5000 * 8);
        }
    }

    @Test
    void bothClientsRestoreCompressedReplies() {
        try (TCPClient c = new TCPClient(remote, cluster.port())) {
            assertThat(c.execute("(til 5000)")).isEqualTo(TIL_5000);
        }
        String out = PythonClient.run(remote, cluster.port(), null,
                "r = c.execute('(til 5000)')", "print('OK', FFI.read_u8_vector(FFI.ser_obj(r.ptr)).hex())");
        String hex = out.lines().filter(l -> l.startsWith("OK ")).findFirst().orElseThrow(() -> new AssertionError(out));
        byte[] b = Hex.parse(hex.substring(3));
        RayValue v = ValueReader.read(ByteBuffer.wrap(b, 16, b.length - 16), ValueReader.Mode.RESULT);
        assertThat(v).isEqualTo(TIL_5000);
    }

    @Test
    void resultsOverTheFrameLimitAreErrorLimit() {
        TCPClient c = cluster.connect();
        assertThatThrownBy(() -> c.execute("(til 200000)"))
                .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("limit"));
        String text = ((Str) c.execute("(.cluster.lastError)")).value();
        assertThat(text).contains("1600010 bytes").contains(Long.toString(LIMIT));
        assertThat(c.execute("(count (til 200000))")).isEqualTo(new I64Atom(200000));
    }

    @Test
    void aShardNoReplicaCanAnswerIsErrorShard() {
        try (GatewayFixture lossy = new GatewayFixture(2, GatewayOptions.DEFAULT)) {
            lossy.shards().createTable("t", "k", 4, 1, "k:i64", "v:i64");
            lossy.shards().insert("t", io.rayforce.cluster.client.value.RayTable.builder()
                    .column("k", new I64Vector(LongStream.range(0, 100).toArray()))
                    .column("v", new I64Vector(LongStream.range(0, 100).toArray())).build());
            TCPClient c = lossy.connect();
            assertThat(c.execute("(count t)")).isEqualTo(new I64Atom(100));
            lossy.shards().nodes().get(1).kill();
            assertThatThrownBy(() -> c.execute("(select {s: (sum v) from: t})"))
                    .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo("shard"));
            assertThat(((Str) c.execute("(.cluster.lastError)")).value()).contains("shard").contains("t");
            assertThat(c.execute("(+ 1 2)")).isEqualTo(new I64Atom(3));
        }
    }

    /** A non-loopback IPv4 address of this host. */
    static String nonLoopbackAddress() throws Exception {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return a.getHostAddress();
                }
            }
        }
        throw new IllegalStateException("this host has no non-loopback IPv4 address");
    }
}
