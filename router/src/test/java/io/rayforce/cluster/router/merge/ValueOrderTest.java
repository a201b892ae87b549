package io.rayforce.cluster.router.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.GuidVector;
import io.rayforce.cluster.client.value.I16Vector;
import io.rayforce.cluster.client.value.I32Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.client.value.U8Vector;
import io.rayforce.cluster.client.value.Vector;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The engine's sort order of single values: nulls lowest, numbers by value, text by code point. */
class ValueOrderTest {
    /** The sign of comparing element 0 with element 1. */
    private static int sign(Vector v) {
        return Integer.signum(ValueOrder.compare(v, 0, v, 1));
    }

    @Test
    void nullsSortLowestInEveryType() {
        assertThat(sign(I64Vector.of(Nulls.I64, Long.MIN_VALUE + 1))).isNegative();
        assertThat(sign(I64Vector.of(Nulls.I64, -5))).isNegative();
        assertThat(sign(I32Vector.of(Nulls.I32, -5))).isNegative();
        assertThat(sign(F64Vector.of(Nulls.F64, Double.NEGATIVE_INFINITY))).isNegative();
        assertThat(sign(F32Vector.of(Nulls.F32, -1e30f))).isNegative();
        assertThat(sign(SymbolVector.of(Nulls.SYMBOL, "A"))).isNegative();
        assertThat(sign(new TimestampVector(new long[] {Nulls.I64, 0}))).isNegative();
        assertThat(sign(F64Vector.of(1.0, Nulls.F64))).isPositive();
    }

    @Test
    void nullsEqualNulls() {
        assertThat(ValueOrder.same(I64Vector.of(Nulls.I64), 0, I64Vector.of(Nulls.I64), 0)).isTrue();
        assertThat(ValueOrder.same(F64Vector.of(Double.NaN), 0, F64Vector.of(Nulls.F64), 0)).isTrue();
        assertThat(ValueOrder.same(SymbolVector.of(""), 0, SymbolVector.of(""), 0)).isTrue();
        assertThat(ValueOrder.same(I64Vector.of(Nulls.I64), 0, I64Vector.of(0), 0)).isFalse();
    }

    @Test
    void numbersCompareByValueAndNegativeZeroEqualsZero() {
        assertThat(sign(I64Vector.of(-3, 2))).isNegative();
        assertThat(sign(I64Vector.of(Long.MAX_VALUE, 0))).isPositive();
        assertThat(sign(F64Vector.of(-0.0, 0.0))).isZero();
        assertThat(ValueOrder.same(F64Vector.of(-0.0), 0, F64Vector.of(0.0), 0)).isTrue();
        assertThat(sign(F64Vector.of(Double.POSITIVE_INFINITY, Double.MAX_VALUE))).isPositive();
        assertThat(sign(I16Vector.of((short) -1, (short) 1))).isNegative();
    }

    @Test
    void keysAreEqualAndHashAlikeExactlyWhenTheValuesAreTheSame() {
        F64Vector reals = F64Vector.of(0.0, -0.0, Double.NaN, Nulls.F64, 1.0);
        assertThat(ValueOrder.key(reals, 0)).isEqualTo(ValueOrder.key(reals, 1)).hasSameHashCodeAs(ValueOrder.key(reals, 1));
        assertThat(ValueOrder.key(reals, 2)).isEqualTo(ValueOrder.key(reals, 3)).hasSameHashCodeAs(ValueOrder.key(reals, 3));
        assertThat(ValueOrder.key(reals, 0)).isNotEqualTo(ValueOrder.key(reals, 4));
        F32Vector floats = F32Vector.of(0.0f, -0.0f);
        assertThat(ValueOrder.key(floats, 0)).isEqualTo(ValueOrder.key(floats, 1));
        assertThat(ValueOrder.key(SymbolVector.of("a", "a"), 0)).isEqualTo(ValueOrder.key(SymbolVector.of("b", "a"), 1));
        assertThat(ValueOrder.key(I64Vector.of(Nulls.I64), 0)).isEqualTo(I64Atom.NULL);
    }

    @Test
    void u8IsUnsignedAndFalseComesBeforeTrue() {
        assertThat(sign(U8Vector.of(255, 1))).isPositive();
        assertThat(sign(BoolVector.of(false, true))).isNegative();
        assertThat(sign(BoolVector.of(true, true))).isZero();
    }

    @Test
    void textComparesByCodePointNotByUtf16Unit() {
        // U+1F600 is above U+FFFF; in UTF-16 its lead surrogate (D83D) sorts below FFFF
        assertThat(sign(SymbolVector.of("\uD83D\uDE00", "\uFFFF"))).isPositive();
        assertThat(sign(StringVector.of("\uD83D\uDE00", "\uFFFF"))).isPositive();
        assertThat(sign(SymbolVector.of("AB", "B"))).isNegative();
        assertThat(sign(SymbolVector.of("A", "AB"))).isNegative();
        assertThat(sign(SymbolVector.of("Z", "a"))).isNegative();
        assertThat(sign(StringVector.of("same", "same"))).isZero();
    }

    @Test
    void guidsCompareByTheirBytesUnsigned() {
        GuidVector g = GuidVector.of(new UUID(0x8000_0000_0000_0000L, 0), new UUID(1, 0));
        assertThat(sign(g)).isPositive();
        GuidVector h = GuidVector.of(new UUID(1, -1L), new UUID(1, 1));
        assertThat(sign(h)).isPositive();
    }

    @Test
    void aListCannotBeOrdered() {
        RayList l = RayList.of(I64Atom.of(1), I64Atom.of(2));
        assertThatThrownBy(() -> ValueOrder.compare(l, 0, l, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot order a");
    }

    @Test
    void theSpecialisedComparatorAgreesWithCompareOnRandomColumns() {
        SplittableRandom r = new SplittableRandom(7);
        int n = 200;
        long[] longs = new long[n];
        int[] ints = new int[n];
        double[] reals = new double[n];
        String[] syms = new String[n];
        String[] pool = {"", "A", "AB", "B", "\uD83D\uDE00", "\uFFFF", "zz"};
        double[] specials = {Double.NaN, -0.0, 0.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        for (int i = 0; i < n; i++) {
            longs[i] = r.nextInt(8) == 0 ? Nulls.I64 : r.nextLong(-5, 5);
            ints[i] = r.nextInt(8) == 0 ? Nulls.I32 : r.nextInt(-5, 5);
            reals[i] = r.nextInt(4) == 0 ? specials[r.nextInt(specials.length)] : r.nextInt(-3, 3) / 2.0;
            syms[i] = pool[r.nextInt(pool.length)];
        }
        for (Vector v : new Vector[] {new I64Vector(longs), new I32Vector(ints), new F64Vector(reals), new SymbolVector(syms),
            new StringVector(syms)}) {
            ValueOrder.IndexComparator cmp = ValueOrder.of(v);
            for (int k = 0; k < 2000; k++) {
                int i = r.nextInt(n);
                int j = r.nextInt(n);
                assertThat(Integer.signum(cmp.compare(i, j))).as("%s %d %d", v.type(), i, j)
                        .isEqualTo(Integer.signum(ValueOrder.compare(v, i, v, j)));
            }
        }
    }
}
