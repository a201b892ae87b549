package io.rayforce.cluster.client.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.testing.EngineExtension;
import io.rayforce.cluster.client.testing.Hex;
import io.rayforce.cluster.client.value.RayError;
import io.rayforce.cluster.client.value.RayValue;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bytes captured from the pinned engine (client/src/test/resources/wire/vectors.tsv, see
 * docs/protocol.md): the decoder reads each, the live engine gives the same value for the same
 * source today, and the encoder writes the same bytes back, except where the engine uses flags
 * this encoder deliberately normalizes.
 */
class WireVectorsTest {
    @RegisterExtension
    static final EngineExtension engine = new EngineExtension();

    record Vector(String name, String source, byte[] payload) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Lines whose bytes an answer is written with differently (same length, another flag byte):
     * the engine sends these typed nulls without the null flag; we always flag them.
     */
    static final Set<String> NORMALIZED = Set.of("i16_min_as", "guid_zero_as");

    /**
     * Lines a request writes differently besides: a request quotes every symbol (unquoted, a
     * symbol names a variable), where the engine answers symbols made by builtins unquoted.
     */
    static final Set<String> REQUEST_QUOTES = Set.of(
            "sym_type_result", "sym_unicode", "sym_with_space", "dict_i64_keys", "null_type_name",
            "type_names_i64_vec", "type_name_guid_atom", "type_name_table", "type_name_builtin", "table_meta",
            "quote_expr");

    static Stream<Vector> vectors() {
        return Hex.resource("/wire/vectors.tsv").lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("\t"))
                .map(f -> new Vector(f[0], f[1], Hex.parse(f[2])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesWhatTheEngineSent(Vector v) {
        RayValue decoded = ValueReader.read(v.payload());
        assertThat(decoded).isNotNull();
        // decoding is a pure function of the bytes: a second pass over an encoding gives the same value
        assertThat(ValueReader.read(ValueWriter.payload(decoded))).isEqualTo(decoded);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void liveEngineAgreesWithTheCapture(Vector v) {
        RayValue captured = ValueReader.read(v.payload());
        if (captured instanceof RayError err) {
            assertThatThrownBy(() -> engine.client().execute(v.source()))
                    .isInstanceOfSatisfying(RayforceEvaluationError.class, e -> assertThat(e.code()).isEqualTo(err.code()));
        } else {
            assertThat(engine.client().execute(v.source())).isEqualTo(captured);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void answersAreTheEnginesBytes(Vector v) {
        assertAnswerIsTheEnginesBytes(v, ValueReader.read(v.payload()));
    }

    /**
     * The same when the payload arrives one byte at a time, as the streaming decoder may be given
     * it: the attribute bytes and symbol flags survive every split.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void answersReadByteByByteAreTheEnginesBytes(Vector v) {
        byte[] payload = v.payload();
        ValueReader reader = new ValueReader(ValueReader.Mode.RESULT, payload.length);
        boolean done = false;
        for (int i = 0; i < payload.length; i++) {
            assertThat(done).as("complete before byte %d", i).isFalse();
            ByteBuf one = Unpooled.directBuffer(1).writeByte(payload[i]);
            done = reader.feed(one);
            assertThat(one.isReadable()).isFalse();
            one.release();
        }
        assertThat(done).isTrue();
        assertAnswerIsTheEnginesBytes(v, reader.value());
    }

    private static void assertAnswerIsTheEnginesBytes(Vector v, RayValue decoded) {
        byte[] ours = ValueWriter.answerPayload(decoded);
        if (NORMALIZED.contains(v.name())) {
            assertThat(ours).hasSameSizeAs(v.payload());
        } else {
            assertThat(Hex.of(ours)).as(v.source()).isEqualTo(Hex.of(v.payload()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void requestsQuoteEverySymbol(Vector v) {
        RayValue decoded = ValueReader.read(v.payload());
        byte[] ours = ValueWriter.payload(decoded);
        if (NORMALIZED.contains(v.name()) || REQUEST_QUOTES.contains(v.name())) {
            assertThat(ours).hasSameSizeAs(v.payload());
        } else {
            assertThat(Hex.of(ours)).as(v.source()).isEqualTo(Hex.of(v.payload()));
        }
    }

    @Test
    void theCaptureCoversEveryWireType() {
        Set<Integer> codes = new java.util.HashSet<>();
        vectors().forEach(v -> codes.add((int) v.payload()[0]));
        for (int code = 1; code <= 13; code++) {
            assertThat(codes).as("atom type %d", code).contains(-code);
            assertThat(codes).as("vector type %d", code).contains(code);
        }
        assertThat(codes).contains(0, 98, 99, 100, 101, 102, 103, 126, 127);
    }
}
