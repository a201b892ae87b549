package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The group-order rule's boundaries, as measured on the pinned engine (LargeGroupTest checks it against one). */
class KeyOrderTest {
    private static KeyOrder.Column ints(long... v) {
        return new KeyOrder.Column(v, new boolean[v.length]);
    }

    private static long[] in(int[] order, long[] v) {
        return Arrays.stream(order).mapToLong(i -> v[i]).toArray();
    }

    @Test
    void fewerRowsThanTheSortingPointKeepFirstAppearance() {
        assertThat(KeyOrder.order(List.of(ints(3, 1, 2)), 3, KeyOrder.SORTED_FROM - 1)).isNull();
        assertThat(KeyOrder.order(List.of(ints(3, 1, 2)), 3, KeyOrder.SORTED_FROM)).containsExactly(1, 2, 0);
    }

    @Test
    void oneKeySortsSignedWithTheNullLast() {
        KeyOrder.Column k = new KeyOrder.Column(new long[] {0, 5, -7, 2}, new boolean[] {true, false, false, false});
        assertThat(KeyOrder.order(List.of(k), 4, 100_000)).containsExactly(2, 3, 1, 0);
    }

    @Test
    void oneKeyOverMoreThanEightSeventeenthsOfTheRowsComesInEightPartitions() {
        // span 47,058 of 100,000 rows: in order; 47,059: by slot mod 8
        long[] v = {47_057, 8, 1, 0};
        assertThat(in(KeyOrder.order(List.of(ints(v)), 4, 100_000), v)).containsExactly(0, 1, 8, 47_057);
        long[] w = {47_058, 8, 1, 0};
        assertThat(in(KeyOrder.order(List.of(ints(w)), 4, 100_000), w)).containsExactly(0, 8, 1, 47_058);
    }

    @Test
    void partitionsGrowWithTheSpan() {
        // span 262,144: 8 partitions; one more: 16
        long[] a = {0, 8, 16, 262_143};
        assertThat(in(KeyOrder.order(List.of(ints(a)), 4, 400_000), a)).containsExactly(0, 8, 16, 262_143);
        long[] b = {0, 8, 16, 262_144};
        assertThat(in(KeyOrder.order(List.of(ints(b)), 4, 400_000), b)).containsExactly(0, 16, 262_144, 8);
    }

    @Test
    void aSpanPastTheRowsKeepsFirstAppearance() {
        assertThat(KeyOrder.order(List.of(ints(99_999, 0)), 2, 100_000)).containsExactly(1, 0);
        assertThat(KeyOrder.order(List.of(ints(100_000, 0)), 2, 100_000)).isNull();
        KeyOrder.Column withNull = new KeyOrder.Column(new long[] {99_999, 0, 0}, new boolean[] {false, false, true});
        assertThat(KeyOrder.order(List.of(withNull), 3, 100_000)).isNull();
        assertThat(KeyOrder.order(List.of(ints(Long.MAX_VALUE, Long.MIN_VALUE + 1)), 2, 100_000)).isNull();
    }

    @Test
    void severalKeysRankTheirValuesTheLastKeyFirst() {
        // spans far apart but few distinct values: ranked, so in order
        KeyOrder.Column a = ints(2_000_000, 5, 2_000_000, 5);
        KeyOrder.Column b = ints(1, 1, 0, 0);
        assertThat(KeyOrder.order(List.of(a, b), 4, 100_000)).containsExactly(3, 2, 1, 0);
        // one key's span past 2^22: first appearance
        KeyOrder.Column wide = ints(1L << 22, 0, 1L << 22, 0);
        assertThat(KeyOrder.order(List.of(wide, b), 4, 100_000)).isNull();
        assertThat(KeyOrder.order(List.of(ints((1L << 22) - 1, 0, (1L << 22) - 1, 0), b), 4, 100_000)).isNotNull();
    }

    @Test
    void severalKeysPastTheRowsKeepFirstAppearance() {
        // 317 x 319 distinct pairs possible for 100,000 rows
        int n = 317 * 319;
        long[] a = IntStream.range(0, n).mapToLong(i -> i % 317).toArray();
        long[] b = IntStream.range(0, n).mapToLong(i -> i / 317).toArray();
        assertThat(KeyOrder.order(List.of(ints(a), ints(b)), n, 100_000)).isNull();
        assertThat(KeyOrder.order(List.of(ints(a), ints(b)), n, 200_000)).isNotNull();
    }
}
