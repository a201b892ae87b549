package io.rayforce.cluster.client.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ValueModelTest {

    @Test
    void sliceGatherConcatKeepTypeAndValues() {
        TimestampVector ts = TimestampVector.of(Instant.parse("2024-01-01T00:00:00Z"), null, Instant.parse("2024-01-03T00:00:00Z"));
        assertThat(ts.slice(1, 3)).isEqualTo(new TimestampVector(new long[] {Nulls.I64, ts.get(2)}));
        assertThat(ts.gather(new int[] {2, 0, 2})).isEqualTo(new TimestampVector(new long[] {ts.get(2), ts.get(0), ts.get(2)}));
        assertThat(Vector.concat(List.of(ts, ts.slice(0, 1)))).isEqualTo(
                new TimestampVector(new long[] {ts.get(0), Nulls.I64, ts.get(2), ts.get(0)}));

        GuidVector g = GuidVector.of(new UUID(1, 2), new UUID(3, 4), new UUID(5, 6));
        assertThat(g.gather(new int[] {2, 1})).isEqualTo(GuidVector.of(new UUID(5, 6), new UUID(3, 4)));
        assertThat(Vector.concat(List.of(g.slice(0, 1), g.slice(2, 3)))).isEqualTo(GuidVector.of(new UUID(1, 2), new UUID(5, 6)));

        assertThatThrownBy(() -> Vector.concat(List.of(I64Vector.of(1), TimestampVector.of())))
                .hasMessageContaining("cannot concat timestamp onto i64");
        assertThatThrownBy(() -> I64Vector.of(1, 2).gather(new int[] {2})).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void equalityIsByTypeAndValues() {
        assertThat(I64Vector.of(1, 2)).isNotEqualTo(new TimestampVector(new long[] {1, 2}));
        assertThat(I32Vector.of(5)).isNotEqualTo(new DateVector(new int[] {5}));
        assertThat(F64Vector.of(Double.NaN)).isEqualTo(F64Vector.of(Double.NaN)).hasSameHashCodeAs(F64Vector.of(Double.NaN));
        assertThat(Symbol.of("a")).isNotEqualTo(Name.of("a"));
    }

    @Test
    void nullsAreTheEnginesSentinels() {
        assertThat(I64Vector.of(1, Nulls.I64).hasNulls()).isTrue();
        assertThat(SymbolVector.of("a", "").isNull(1)).isTrue();
        assertThat(StringVector.of("a", "").isNull(1)).isTrue();
        assertThat(GuidVector.of(new UUID(0, 0)).isNull(0)).isTrue();
        assertThat(BoolVector.of(false).hasNulls()).isFalse();
        assertThat(U8Vector.of(0).hasNulls()).isFalse();
        assertThat(F32Atom.NULL.isNull()).isTrue();
        assertThat(new Str("").isNull()).isTrue();
    }

    /** The array-backed vectors answer hasNulls and length from their arrays: the same as asking each element. */
    @Test
    void hasNullsAndLengthAgreeWithTheElements() {
        java.util.Random rnd = new java.util.Random(7);
        for (int round = 0; round < 200; round++) {
            int n = rnd.nextInt(6);
            long[] longs = new long[n];
            int[] ints = new int[n];
            double[] doubles = new double[n];
            String[] names = new String[n];
            for (int i = 0; i < n; i++) {
                boolean nul = rnd.nextInt(4) == 0;
                longs[i] = nul ? Nulls.I64 : rnd.nextLong();
                ints[i] = nul ? Nulls.I32 : rnd.nextInt();
                doubles[i] = nul ? Double.NaN : rnd.nextDouble();
                names[i] = nul ? "" : "s" + rnd.nextInt(9);
            }
            for (Vector v : List.of(I64Vector.of(longs), I32Vector.of(ints), F64Vector.of(doubles), SymbolVector.of(names))) {
                boolean any = false;
                for (int i = 0; i < n; i++) {
                    any |= v.isNull(i);
                }
                assertThat(v.hasNulls()).as("%s", v).isEqualTo(any);
                assertThat(v.length()).isEqualTo(n);
            }
        }
    }

    @Test
    void temporalConversionsUseTheEnginesEpoch() {
        assertThat(DateAtom.of(LocalDate.of(2000, 1, 1)).days()).isZero();
        assertThat(DateAtom.of(LocalDate.of(2024, 1, 15)).days()).isEqualTo(8780);
        assertThat(new DateAtom(-1).toLocalDate()).isEqualTo(LocalDate.of(1999, 12, 31));
        assertThat(TimestampAtom.of(Instant.parse("2000-01-01T00:00:00.000000001Z")).nanos()).isEqualTo(1);
        assertThat(new TimestampAtom(-1).toInstant()).isEqualTo(Instant.parse("1999-12-31T23:59:59.999999999Z"));
        assertThat(TimeAtom.of(LocalTime.of(9, 30)).millis()).isEqualTo(34_200_000);
        assertThat(DateAtom.NULL.toLocalDate()).isNull();
        assertThat(TimestampAtom.NULL.toInstant()).isNull();
        assertThatThrownBy(() -> new TimeAtom(25 * 3_600_000).toLocalTime()).hasMessageContaining("outside one day");
        assertThat(new TimeAtom(25 * 3_600_000).toDuration()).hasHours(25);
    }

    @Test
    void tablesCheckTheirShape() {
        assertThatThrownBy(() -> RayTable.of(List.of("a", "b"), List.of(I64Vector.of(1), I64Vector.of(1, 2))))
                .hasMessageContaining("column b has 2 rows but column a has 1");
        assertThatThrownBy(() -> RayTable.of(List.of("a"), List.of())).hasMessageContaining("1 column names but 0 columns");
        RayTable t = RayTable.builder().column("id", I64Vector.of(1, 2, 3)).column("s", SymbolVector.of("x", "y", "z")).build();
        assertThat(t.rowCount()).isEqualTo(3);
        assertThat(t.column("s")).isEqualTo(SymbolVector.of("x", "y", "z"));
        assertThat(t.gather(new int[] {2, 0}).column("id")).isEqualTo(I64Vector.of(3, 1));
        assertThatThrownBy(() -> t.column("nope")).hasMessageContaining("no column nope in table with columns [id, s]");
    }

    @Test
    void toStringIsRayfallAndAbbreviatesLongVectors() {
        long[] many = new long[1000];
        assertThat(new I64Vector(many).toString()).startsWith("[0 0 0").endsWith("... (1000 items)]");
        assertThat(I32Vector.of(1, Nulls.I32)).hasToString("[1i 0Ni]");
        assertThat(Symbol.of("a b")).hasToString("(as 'SYM \"a b\")");
        assertThat(SymbolVector.of()).hasToString("(as 'SYM [])");
        assertThat(RayDict.of(SymbolVector.of("a"), new I64Atom(1))).hasToString("{a: 1}");
        assertThat(RayList.of(Name.of("+"), new I64Atom(1), new F64Atom(2.5))).hasToString("(+ 1 2.5)");
        assertThat(RayList.of(new I64Atom(1))).hasToString("(list 1)");
    }
}
