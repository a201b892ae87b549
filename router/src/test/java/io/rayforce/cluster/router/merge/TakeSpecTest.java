package io.rayforce.cluster.router.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * A take's row range, as the pinned engine applies it: the expected ranges below are what
 * {@code (select {from: u take: ...})} answered over a 5-row table on the engine.
 */
class TakeSpecTest {
    private static int[] range(Long start, long count, int rows) {
        return new TakeSpec(start, count).range(rows);
    }

    @Test
    void aCountTakesTheFirstRowsClippedToTheTable() {
        assertThat(range(null, 2, 5)).containsExactly(0, 2);
        assertThat(range(null, 5, 5)).containsExactly(0, 5);
        assertThat(range(null, 9, 5)).containsExactly(0, 5);
        assertThat(range(null, 0, 5)).containsExactly(0, 0);
    }

    @Test
    void aNegativeCountTakesTheLastRowsClippedToTheTable() {
        assertThat(range(null, -2, 5)).containsExactly(3, 5);
        assertThat(range(null, -5, 5)).containsExactly(0, 5);
        assertThat(range(null, -9, 5)).containsExactly(0, 5);
    }

    @Test
    void aRangeTakesCountRowsFromStart() {
        assertThat(range(1L, 2, 5)).containsExactly(1, 3);
        assertThat(range(0L, 5, 5)).containsExactly(0, 5);
        assertThat(range(3L, 9, 5)).containsExactly(3, 5);
        assertThat(range(2L, 0, 5)).containsExactly(2, 2);
    }

    @Test
    void aNegativeStartCountsFromTheEndAndStopsAtTheFirstRow() {
        assertThat(range(-2L, 5, 5)).containsExactly(3, 5);
        assertThat(range(-5L, 1, 5)).containsExactly(0, 1);
        assertThat(range(-9L, 2, 5)).containsExactly(0, 2);
    }

    @Test
    void aStartPastTheEndTakesNothing() {
        assertThat(range(5L, 2, 5)).containsExactly(5, 5);
        assertThat(range(7L, 2, 5)).containsExactly(5, 5);
    }

    @Test
    void everyFormOfNoRowsIsEmpty() {
        for (TakeSpec t : List.of(new TakeSpec(null, 3), new TakeSpec(null, -3), new TakeSpec(2L, 3), new TakeSpec(-2L, 3))) {
            assertThat(t.range(0)).as("%s", t).containsExactly(0, 0);
        }
    }

    @Test
    void aNegativeRangeCountTakesNothing() {
        // the engine refuses [1 -1] with a length error before any row is taken
        assertThat(range(1L, -1, 5)).containsExactly(1, 1);
    }

    @Test
    void headNeededIsHowManyLeadingRowsOfEachSortedPartCanReachTheAnswer() {
        assertThat(new TakeSpec(null, 5).headNeeded()).isEqualTo(5);
        assertThat(new TakeSpec(null, 0).headNeeded()).isZero();
        assertThat(new TakeSpec(2L, 3).headNeeded()).isEqualTo(5);
        assertThat(new TakeSpec(2L, -1).headNeeded()).isEqualTo(2);
        assertThat(new TakeSpec(null, -5).headNeeded()).isEqualTo(-1);
        assertThat(new TakeSpec(-2L, 3).headNeeded()).isEqualTo(-1);
    }

    @Test
    void tailNeededIsOnlyForATakeFromTheEnd() {
        assertThat(new TakeSpec(null, -5).tailNeeded()).isEqualTo(5);
        assertThat(new TakeSpec(null, 5).tailNeeded()).isEqualTo(-1);
        assertThat(new TakeSpec(1L, 2).tailNeeded()).isEqualTo(-1);
        assertThat(new TakeSpec(-2L, 2).tailNeeded()).isEqualTo(-1);
    }

    /**
     * What the planner relies on: each shard sends only the head (or tail) the take can need, the
     * router merges those and takes again, and the rows are the ones a take over all rows gives.
     */
    @Property(tries = 300)
    void takingFromEachPartsHeadOrTailThenFromTheMergeEqualsTakingFromTheWhole(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int rows = r.nextInt(40);
        int partCount = 1 + r.nextInt(5);
        Long start = r.nextInt(3) == 0 ? null : (long) (r.nextInt(50) - 25);
        long count = start == null ? r.nextInt(50) - 25 : r.nextInt(30);
        TakeSpec take = new TakeSpec(start, count);
        // rows 0..rows-1 in order, dealt out to parts; each part stays sorted
        List<List<Integer>> parts = new ArrayList<>();
        for (int p = 0; p < partCount; p++) {
            parts.add(new ArrayList<>());
        }
        for (int i = 0; i < rows; i++) {
            parts.get(r.nextInt(partCount)).add(i);
        }
        List<Integer> sent = new ArrayList<>();
        for (List<Integer> part : parts) {
            int n = part.size();
            int from = 0;
            int to = n;
            if (take.headNeeded() >= 0) {
                to = (int) Math.min(n, take.headNeeded());
            } else if (take.tailNeeded() >= 0) {
                from = (int) Math.max(0, n - take.tailNeeded());
            }
            sent.addAll(part.subList(from, to));
        }
        int[] merged = sent.stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] got = merged.length == 0 ? new int[0] : Arrays.copyOfRange(merged, take.range(merged.length)[0],
                take.range(merged.length)[1]);
        int[] whole = take.range(rows);
        int[] expected = java.util.stream.IntStream.range(whole[0], whole[1]).toArray();
        assertThat(got).as("take %s of %d rows in %d parts", take, rows, partCount).containsExactly(expected);
    }
}
