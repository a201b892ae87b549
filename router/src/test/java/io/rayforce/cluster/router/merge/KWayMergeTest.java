package io.rayforce.cluster.router.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The k-way merge of sorted parts into global row numbers. */
class KWayMergeTest {
    private static Parts parts(long[]... values) {
        List<RayTable> ts = new ArrayList<>();
        for (long[] v : values) {
            ts.add(RayTable.builder().column("v", I64Vector.of(v)).build());
        }
        return new Parts(ts);
    }

    private static KWayMerge.RowComparator byValue(Parts p) {
        long[] v = ((I64Vector) p.all().column("v")).toArray();
        return (a, b) -> Long.compare(v[a], v[b]);
    }

    private static int[] merge(Parts p, int limit) {
        return KWayMerge.merge(p, byValue(p), limit);
    }

    @Test
    void sortedPartsMergeIntoOneOrder() {
        Parts p = parts(new long[] {1, 4, 9}, new long[] {2, 3, 10}, new long[] {0, 5});
        // global rows: part 0 at 0..2, part 1 at 3..5, part 2 at 6..7
        assertThat(merge(p, -1)).containsExactly(6, 0, 3, 4, 1, 7, 2, 5);
    }

    @Test
    void tiesKeepTheLowerPartFirstAndEachPartsOwnOrder() {
        Parts p = parts(new long[] {5, 5}, new long[] {1, 5}, new long[] {5});
        assertThat(merge(p, -1)).containsExactly(2, 0, 1, 3, 4);
    }

    @Test
    void aLimitKeepsTheFirstRows() {
        Parts p = parts(new long[] {1, 4, 9}, new long[] {2, 3, 10});
        assertThat(merge(p, 3)).containsExactly(0, 3, 4);
        assertThat(merge(p, 0)).isEmpty();
        assertThat(merge(p, 100)).hasSize(6);
    }

    @Test
    void emptyPartsAreSkipped() {
        assertThat(merge(parts(new long[0], new long[] {2, 3}, new long[0], new long[] {1}), -1)).containsExactly(2, 0, 1);
        assertThat(merge(parts(new long[0], new long[0]), -1)).isEmpty();
    }

    @Test
    void onePartIsItsOwnOrder() {
        assertThat(merge(parts(new long[] {1, 1, 2, 3}), -1)).containsExactly(0, 1, 2, 3);
        assertThat(merge(parts(new long[] {1, 1, 2, 3}), 2)).containsExactly(0, 1);
    }

    /**
     * Random sorted parts with many ties: the merge is the stable sort of the parts laid end to
     * end (ties in part order, then in each part's order), cut at the limit.
     */
    @Property(tries = 300)
    void theMergeIsTheStableSortOfThePartsLaidEndToEnd(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int k = 1 + r.nextInt(9);
        long[][] values = new long[k][];
        for (int p = 0; p < k; p++) {
            values[p] = r.longs(r.nextInt(30), -4, 4).sorted().toArray();
        }
        Parts parts = parts(values);
        long[] all = ((I64Vector) parts.all().column("v")).toArray();
        Integer[] stable = IntStream.range(0, all.length).boxed().toArray(Integer[]::new);
        Arrays.sort(stable, Comparator.comparingLong(i -> all[i]));
        int limit = r.nextInt(3) == 0 ? -1 : r.nextInt(all.length + 3);
        int[] expected = Arrays.stream(stable).mapToInt(Integer::intValue).limit(limit < 0 ? all.length : limit).toArray();
        assertThat(merge(parts, limit)).as("k=%d limit=%d", k, limit).containsExactly(expected);
    }
}
