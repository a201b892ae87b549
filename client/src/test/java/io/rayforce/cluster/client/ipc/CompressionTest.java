package io.rayforce.cluster.client.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceProtocolError;
import io.rayforce.cluster.client.testing.Hex;
import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The engine's delta+RLE compression, against frames the engine itself compressed (see docs/protocol.md §7). */
class CompressionTest {

    @ParameterizedTest
    @ValueSource(strings = {"i64_const_3000", "i64_til_1000", "i64_til_5000", "list_mixed_400", "str_vec_600",
            "table_trade_1000", "u8_len_1991_payload_2001", "u8_zeros_100000"})
    void decompressesFramesTheEngineCompressed(String name) {
        byte[] frame = Hex.parse(Hex.resource("/wire/compressed/" + name + ".frame.hex"));
        byte[] expected = Hex.parse(Hex.resource("/wire/compressed/" + name + ".payload.hex"));
        ByteBuffer buf = ByteBuffer.wrap(frame);
        FrameHeader header = FrameHeader.read(buf);
        assertThat(header.compressed()).isTrue();
        byte[] body = Arrays.copyOfRange(frame, Wire.HEADER_BYTES, frame.length);
        assertThat(body).hasSize(header.size());

        assertThat(Compression.decompress(body)).isEqualTo(expected);
        // and the whole frame decodes to the value the uncompressed payload holds
        Message m = MessageDecoder.decode(new RawFrame(header, body), ValueReader.Mode.RESULT, Wire.MAX_PAYLOAD_BYTES);
        assertThat(m.value()).isEqualTo(ValueReader.read(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"i64_const_3000", "i64_til_1000", "i64_til_5000", "list_mixed_400", "str_vec_600",
            "table_trade_1000", "u8_len_1991_payload_2001", "u8_zeros_100000"})
    void compressesExactlyAsTheEngineDoes(String name) {
        byte[] frame = Hex.parse(Hex.resource("/wire/compressed/" + name + ".frame.hex"));
        byte[] payload = Hex.parse(Hex.resource("/wire/compressed/" + name + ".payload.hex"));
        assertThat(Compression.compress(payload)).isEqualTo(Arrays.copyOfRange(frame, Wire.HEADER_BYTES, frame.length));
    }

    @Property(tries = 500)
    void decompressUndoesCompress(@ForAll("payloads") byte[] payload) {
        byte[] packed = Compression.compress(payload);
        if (packed != null) {
            assertThat(packed.length).isLessThan(payload.length);
            assertThat(Compression.decompress(packed)).isEqualTo(payload);
        }
    }

    /** Hostile input: a clear protocol error or a value, never another exception. */
    /** The word-at-a-time running sum equals the byte-by-byte one, for every length and content. */
    @Property(tries = 1000)
    void undoDeltaIsTheRunningSumOfTheBytes(@ForAll byte[] delta) {
        byte[] expected = delta.clone();
        for (int k = 1; k < expected.length; k++) {
            expected[k] = (byte) (expected[k] + expected[k - 1]);
        }
        byte[] actual = delta.clone();
        Compression.undoDelta(actual);
        assertThat(actual).isEqualTo(expected);
    }

    @Property(tries = 2000)
    void garbageNeverEscapesAsAnotherException(@ForAll byte[] garbage) {
        try {
            Compression.decompress(garbage);
        } catch (RayforceProtocolError expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        // runs and ramps compress well; noise does not: mix them
        Arbitrary<byte[]> runs = Arbitraries.bytes().flatMap(b -> Arbitraries.integers().between(1, 600).map(n -> {
            byte[] r = new byte[n];
            Arrays.fill(r, b);
            return r;
        }));
        Arbitrary<byte[]> ramps = Arbitraries.integers().between(1, 3000).map(n -> {
            byte[] r = new byte[n];
            for (int i = 0; i < n; i++) {
                r[i] = (byte) (i * 3);
            }
            return r;
        });
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(500);
        return Arbitraries.oneOf(runs, ramps, noise).list().ofMinSize(1).ofMaxSize(8).map(parts -> {
            int n = parts.stream().mapToInt(p -> p.length).sum();
            byte[] all = new byte[n];
            int o = 0;
            for (byte[] p : parts) {
                System.arraycopy(p, 0, all, o, p.length);
                o += p.length;
            }
            return all;
        });
    }

    @org.junit.jupiter.api.Test
    void rejectsDeclaredSizesItCannotProduce() {
        byte[] lying = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 5, 1};
        assertThatThrownBy(() -> Compression.decompress(lying)).isInstanceOf(RayforceProtocolError.class)
                .hasMessageContaining("cannot expand");
        byte[] oversized = {1, 0, 0, 0x20, 5, 1};
        assertThatThrownBy(() -> Compression.decompress(oversized)).isInstanceOf(RayforceProtocolError.class)
                .hasMessageContaining("bytes uncompressed");
        byte[] truncated = {10, 0, 0, 0, -5, 1, 2};
        assertThatThrownBy(() -> Compression.decompress(truncated)).isInstanceOf(RayforceProtocolError.class)
                .hasMessageContaining("truncated");
    }
}
