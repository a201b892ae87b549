package io.rayforce.cluster.client.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceProtocolError;
import io.rayforce.cluster.client.testing.FuzzContract;
import io.rayforce.cluster.client.testing.Hex;
import io.rayforce.cluster.client.value.SymbolVector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Payloads built to exhaust a decoder, each once a real problem (found by review while writing
 * the fuzz targets, or by the fuzzer), now a regression test: the decoder must stay linear in
 * the bytes it is given, in memory and in time, and refuse what it could not send on unchanged.
 */
class HostilePayloadTest {
    /**
     * 500 nested lists, each declaring as many items as bytes remain: the reader used to allocate
     * each level's array whole, 2 GB and 13 s for this 1 MB payload. Now 8 MB.
     */
    @Test
    void nestedListsAllocateOnlyForTheItemsTheyHold() {
        byte[] payload = nestedLists(500, 1_000_000);
        long before = FuzzContract.allocatedBytes();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> ValueReader.read(payload)).isInstanceOf(RayforceProtocolError.class)
                .hasMessageContaining("truncated");
        assertThat(FuzzContract.allocatedBytes() - before).as("bytes allocated").isLessThan(64L * payload.length);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms").isLessThan(3000);
    }

    /**
     * 65,536 different symbols sharing one string hash (built from "Aa" and "BB", which hash
     * alike): interning them walked one ever longer cluster, 20 s for 2 MB. Now a lookup stops
     * after {@link SymbolInterner#MAX_PROBES} slots.
     */
    @Test
    void symbolsCraftedToShareOneHashDecodeInLinearTime() {
        int blocks = 16;
        int n = 1 << blocks;
        ByteBuffer b = ByteBuffer.allocate(10 + n * (2 * blocks + 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 12).put((byte) 0).putLong(n);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < blocks; k++) {
                b.put((((i >> k) & 1) == 0 ? "Aa" : "BB").getBytes(StandardCharsets.US_ASCII));
            }
            b.put((byte) 0);
        }
        long t0 = System.nanoTime();
        SymbolVector v = (SymbolVector) ValueReader.read(b.array());
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms").isLessThan(5000);
        assertThat(v.length()).isEqualTo(n);
        assertThat(v.get(n - 1)).isEqualTo("BB".repeat(blocks));
    }

    /** Found by the fuzzer: a builtin name the encoder cannot send on (over 15 bytes) is refused on reading. */
    @Test
    void builtinNamesLongerThanTheWireCarriesAreRefused() {
        assertThatThrownBy(() -> ValueReader.read(Hex.parse("65" + Hex.of("sixteen_bytes_xx".getBytes(StandardCharsets.US_ASCII)) + "00")))
                .isInstanceOf(RayforceProtocolError.class).hasMessageContaining("builtin name of 16 bytes");
        assertThat(ValueReader.read(Hex.parse("6573756d00"))).hasToString("sum");
    }

    /** Found by the fuzzer: an error code that is not ASCII would change when sent on, so it is refused. */
    @Test
    void errorCodesMustBeAscii() {
        assertThatThrownBy(() -> ValueReader.read(Hex.parse("7fe6000000000000" + "00")))
                .isInstanceOf(RayforceProtocolError.class).hasMessageContaining("not ASCII");
        assertThat(ValueReader.read(Hex.parse("7f74797065000000" + "00"))).hasToString("error:type");
    }

    /**
     * The deepest nesting the protocol allows (512 objects from the root to the leaf) decodes,
     * encodes and is measured on an ordinary thread (the gateway's workers have default stacks);
     * one level more is refused.
     */
    @Test
    void theDeepestAllowedNestingDecodesOnAnOrdinaryThread() throws Exception {
        byte[][] result = new byte[1][];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                byte[] ok = chain(Wire.MAX_DEPTH - 1);
                result[0] = ValueWriter.payload(ValueReader.read(ok));
                assertThatThrownBy(() -> ValueReader.read(chain(Wire.MAX_DEPTH)))
                        .isInstanceOf(RayforceProtocolError.class).hasMessageContaining("nesting deeper than 512");
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        t.join();
        assertThat(failure[0]).isNull();
        assertThat(result[0]).hasSize((Wire.MAX_DEPTH - 1) * 10 + 1);
    }

    /** {@code levels} one-item lists nested in each other around a generic null. */
    static byte[] chain(int levels) {
        ByteBuffer b = ByteBuffer.allocate(levels * 10 + 1).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < levels; i++) {
            b.put((byte) 0).put((byte) 0).putLong(1);
        }
        return b.put((byte) 0x7e).array();
    }

    /** {@code levels} lists, each declaring every remaining byte as an item, then {@code fill} generic nulls. */
    static byte[] nestedLists(int levels, int fill) {
        int n = levels * 10 + fill;
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < levels; i++) {
            b.put((byte) 0).put((byte) 0).putLong(n - b.position() - 8);
        }
        while (b.hasRemaining()) {
            b.put((byte) 0x7e);
        }
        return b.array();
    }
}
