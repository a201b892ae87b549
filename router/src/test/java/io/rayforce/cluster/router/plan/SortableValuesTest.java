package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.BoolVector;
import io.rayforce.cluster.client.value.DateVector;
import io.rayforce.cluster.client.value.F32Vector;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.client.value.U8Vector;
import io.rayforce.cluster.client.value.Vector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Values as longs that order as the engine compares them, and back. */
class SortableValuesTest {
    private static long[] keys(Vector v) {
        long[] k = new long[v.length()];
        for (int i = 0; i < k.length; i++) {
            k[i] = SortableValues.key(v, i);
        }
        return k;
    }

    @Test
    void floatsOrderByValueWithBothZerosOneKey() {
        F64Vector v = F64Vector.of(-1.7e308, -1, -Double.MIN_VALUE, -0.0, 0.0, Double.MIN_VALUE, 2.5, 1.7e308);
        long[] k = keys(v);
        assertThat(k).isSorted();
        assertThat(k[3]).isEqualTo(k[4]).isZero();
        assertThat(k[2]).isEqualTo(-1);
        assertThat(k[5]).isEqualTo(1);
        assertThat(SortableValues.vector(v, k)).isEqualTo(F64Vector.of(-1.7e308, -1, -Double.MIN_VALUE, 0.0, 0.0, Double.MIN_VALUE, 2.5,
                1.7e308));
        assertThat(keys(new F32Vector(new float[] {-2f, 0f, 1.5f}))).isSorted();
    }

    @Test
    void everyKeyBetweenTwoValuesIsAValue() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 1000; i++) {
            long k = r.nextLong(SortableValues.key(F64Vector.of(-Double.MAX_VALUE), 0), SortableValues.key(F64Vector.of(Double.MAX_VALUE), 0));
            double d = SortableValues.number(F64Vector.of(0), k);
            assertThat(Double.isFinite(d)).isTrue();
            assertThat(SortableValues.key(F64Vector.of(d), 0)).isEqualTo(k);
        }
    }

    @Test
    void integersAndTemporalsAreTheirOwnValue() {
        assertThat(keys(I64Vector.of(-5, 7))).containsExactly(-5, 7);
        assertThat(keys(new DateVector(new int[] {8780}))).containsExactly(8780);
        assertThat(keys(new U8Vector(new byte[] {(byte) 200}))).containsExactly(200);
        assertThat(keys(BoolVector.of(false, true))).containsExactly(0, 1);
        assertThat(SortableValues.vector(new TimestampVector(new long[] {1}), new long[] {9})).isEqualTo(new TimestampVector(new long[] {9}));
        assertThat(SortableValues.number(I64Vector.of(0), 9007199254740993L)).isEqualTo(9007199254740992.0);
        assertThat(SortableValues.supports(SymbolVector.of("a"))).isFalse();
    }
}
