package io.rayforce.cluster.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.testing.EngineExtension;
import io.rayforce.cluster.client.value.BoolAtom;
import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.DateAtom;
import io.rayforce.cluster.client.value.DateVector;
import io.rayforce.cluster.client.value.F32Atom;
import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Atom;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.GuidAtom;
import io.rayforce.cluster.client.value.GuidVector;
import io.rayforce.cluster.client.value.I16Atom;
import io.rayforce.cluster.client.value.I16Vector;
import io.rayforce.cluster.client.value.I32Atom;
import io.rayforce.cluster.client.value.I32Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayNull;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Str;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimeAtom;
import io.rayforce.cluster.client.value.TimeVector;
import io.rayforce.cluster.client.value.TimestampAtom;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.client.value.U8Atom;
import io.rayforce.cluster.client.value.U8Vector;
import io.rayforce.cluster.client.value.Vector;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every type both ways through the real engine: Java -> engine -> Java, and Rayfall-built -> Java. */
class ValueRoundTripTest {
    @RegisterExtension
    static final EngineExtension engine = new EngineExtension();

    static final UUID G1 = UUID.fromString("7d4e5f39-6a6d-4c3b-8b0f-1c2d3e4f5a6b");
    static final UUID G2 = UUID.fromString("00000000-0000-0000-0000-000000000001");

    static Stream<RayValue> values() {
        return Stream.of(
                BoolAtom.TRUE, BoolAtom.FALSE, BoolVector.of(true, false, true), new BoolVector(new boolean[0]),
                U8Atom.of(0), U8Atom.of(255), U8Vector.of(0, 1, 127, 128, 255), new U8Vector(new byte[0]),
                new I16Atom((short) -7), I16Atom.NULL, I16Vector.of((short) 1, Nulls.I16, Short.MAX_VALUE, (short) -32767),
                new I32Atom(42), I32Atom.NULL, I32Vector.of(1, Nulls.I32, Integer.MAX_VALUE, -5), I32Vector.of(),
                new I64Atom(Long.MAX_VALUE), I64Atom.NULL, I64Vector.of(1, Nulls.I64, -3), I64Vector.of(),
                new F32Atom(1.5f), F32Atom.NULL, F32Vector.of(1.25f, Float.NaN, -0.5f), F32Vector.of(),
                new F64Atom(Math.PI), F64Atom.NULL, F64Vector.of(0.1, Double.NaN, -1e300, 4.9e-324), F64Vector.of(),
                DateAtom.of(LocalDate.of(2024, 1, 15)), DateAtom.of(LocalDate.of(1970, 1, 1)), DateAtom.NULL,
                DateVector.of(LocalDate.of(2000, 1, 1), null, LocalDate.of(2099, 12, 31)), DateVector.of(),
                TimeAtom.of(LocalTime.of(9, 30, 0, 123_000_000)), TimeAtom.NULL,
                TimeVector.of(LocalTime.MIDNIGHT, null, LocalTime.of(23, 59, 59, 999_000_000)), TimeVector.of(),
                TimestampAtom.of(Instant.parse("2024-01-15T09:30:00.000000001Z")), TimestampAtom.NULL,
                TimestampVector.of(Instant.parse("1999-12-31T23:59:59.999999999Z"), null, Instant.parse("2262-04-11T00:00:00Z")),
                TimestampVector.of(),
                new GuidAtom(G1), GuidAtom.NULL, GuidVector.of(G1, new UUID(0, 0), G2), GuidVector.of(),
                Symbol.of("AAPL"), Symbol.of(""), Symbol.of("ünïcødé ✓"), SymbolVector.of("a", "", "日本語", "a b"),
                SymbolVector.of(),
                Str.of(""), Str.of("hello \"world\"\n"), Str.of("ünïcødé ✓ 日本語"), StringVector.of("x", "", "ÿ"),
                StringVector.of(),
                RayDict.of(SymbolVector.of("a", "b"), new I64Atom(1), Str.of("x")),
                new RayDict(SymbolVector.of("k1", "k2"), I64Vector.of(10, 20)),
                new RayDict(I64Vector.of(1, 2), SymbolVector.of("one", "two")),
                RayTable.builder().column("id", I64Vector.of(1, 2, 3)).column("sym", SymbolVector.of("A", "", "C"))
                        .column("px", F64Vector.of(1.5, Double.NaN, 3.5)).column("s", StringVector.of("a", "", "c"))
                        .column("d", DateVector.of(LocalDate.of(2024, 1, 1), null, LocalDate.of(2024, 1, 3)))
                        .build(),
                RayTable.builder().column("id", I64Vector.of()).column("sym", SymbolVector.of()).build());
    }

    /** Sent quoted: a string payload would be read as source, a list would be a call. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void javaValueComesBackUnchanged(RayValue value) {
        assertThat(engine.client().execute(quote(value))).isEqualTo(value);
    }

    /** Atoms, vectors, dicts and tables evaluate to themselves when sent bare (a string would be read as source). */
    static Stream<RayValue> bareValues() {
        return values().filter(v -> !(v instanceof Str));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bareValues")
    void bareValueEvaluatesToItself(RayValue value) {
        assertThat(engine.client().execute(value)).isEqualTo(value);
    }

    static RayValue quote(RayValue v) {
        return RayList.of(Name.of("quote"), v);
    }

    @Test
    void listsComeBackUnchangedWhenQuoted() {
        RayList list = RayList.of(new I64Atom(1), Symbol.of("a"), Str.of("s"), I64Vector.of(1, 2),
                RayList.of(F64Vector.of(1.0), RayList.EMPTY));
        assertThat(engine.client().execute(RayList.of(Name.of("quote"), list))).isEqualTo(list);
    }

    static Stream<Arguments> engineBuilt() {
        return Stream.of(
                Arguments.of("true", BoolAtom.TRUE),
                Arguments.of("[true false]", BoolVector.of(true, false)),
                Arguments.of("0x2a", U8Atom.of(42)),
                Arguments.of("[0x01 0xff]", U8Vector.of(1, 255)),
                Arguments.of("-12h", new I16Atom((short) -12)),
                Arguments.of("[1h 0Nh]", I16Vector.of((short) 1, Nulls.I16)),
                Arguments.of("0Ni", I32Atom.NULL),
                Arguments.of("[1i 0Ni 3i]", I32Vector.of(1, Nulls.I32, 3)),
                Arguments.of("(+ 1 2)", new I64Atom(3)),
                Arguments.of("(til 5)", I64Vector.of(0, 1, 2, 3, 4)),
                Arguments.of("[1 0N 3]", I64Vector.of(1, Nulls.I64, 3)),
                Arguments.of("(as 'I64 [])", I64Vector.of()),
                Arguments.of("1.5e", new F32Atom(1.5f)),
                Arguments.of("(/ 1.0 0.0)", F64Atom.NULL),
                Arguments.of("[1.0 0Nf]", F64Vector.of(1.0, Double.NaN)),
                Arguments.of("2024.01.15", DateAtom.of(LocalDate.of(2024, 1, 15))),
                Arguments.of("[2024.01.15 0Nd]", DateVector.of(LocalDate.of(2024, 1, 15), null)),
                Arguments.of("09:30:00.123", TimeAtom.of(LocalTime.of(9, 30, 0, 123_000_000))),
                Arguments.of("2024.01.15D09:30:00.000000001", TimestampAtom.of(Instant.parse("2024-01-15T09:30:00.000000001Z"))),
                Arguments.of("0Np", TimestampAtom.NULL),
                Arguments.of("(as 'GUID \"7d4e5f39-6a6d-4c3b-8b0f-1c2d3e4f5a6b\")", new GuidAtom(G1)),
                Arguments.of("0Ng", GuidAtom.NULL),
                Arguments.of("'AAPL", Symbol.of("AAPL")),
                Arguments.of("(as 'SYM \"ünï cødé\")", Symbol.of("ünï cødé")),
                Arguments.of("[a b c]", SymbolVector.of("a", "b", "c")),
                Arguments.of("\"日本語\"", Str.of("日本語")),
                Arguments.of("[\"a\" \"bc\"]", StringVector.of("a", "bc")),
                Arguments.of("(list 1 'a \"s\")", RayList.of(new I64Atom(1), Symbol.of("a"), Str.of("s"))),
                Arguments.of("(list)", RayList.EMPTY),
                Arguments.of("(dict [a b] (list 1 2))", RayDict.of(SymbolVector.of("a", "b"), new I64Atom(1), new I64Atom(2))),
                Arguments.of("(dict [a b] [1 2])", RayDict.of(SymbolVector.of("a", "b"), new I64Atom(1), new I64Atom(2))),
                Arguments.of("null", RayNull.INSTANCE),
                Arguments.of("(table [a b] (list [1 2] [x y]))",
                        RayTable.of(List.of("a", "b"), List.of(I64Vector.of(1, 2), SymbolVector.of("x", "y")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engineBuilt")
    void engineBuiltValueDecodes(String rayfall, RayValue expected) {
        assertThat(engine.client().execute(rayfall)).isEqualTo(expected);
    }

    /** The engine builds every dict from text with its values as a list, so compare dicts that way. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void printedTextEvaluatesToTheSameValue(RayValue value) {
        RayValue expected = value instanceof RayDict d && d.values() instanceof Vector v && !(v instanceof RayList)
                ? new RayDict(d.keys(), RayList.of(IntStream.range(0, v.length()).mapToObj(v::at).toList()))
                : value;
        assertThat(engine.client().execute(value.toString())).isEqualTo(expected);
    }
}
