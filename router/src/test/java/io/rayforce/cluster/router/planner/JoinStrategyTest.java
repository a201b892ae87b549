package io.rayforce.cluster.router.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.router.plan.Broadcast;
import org.junit.jupiter.api.Test;

/** How a join that is not co-located is run, from the bytes each way would move. */
class JoinStrategyTest {
    private static final long MB = 1L << 20;
    private static final long BUDGET = 1L << 30;

    private static JoinStrategy choose(boolean full, int leftShards, long l, long r, boolean right, boolean left, boolean both) {
        return JoinStrategy.choose(new JoinStrategy.Options(full, leftShards, l, r, BUDGET, right, left, both));
    }

    @Test
    void aSmallRightSideIsShippedWheneverItMayBe() {
        assertThat(choose(false, 8, 500 * MB, MB, true, true, true)).isEqualTo(JoinStrategy.BROADCAST);
        // a full join cannot be shipped: its right-only rows must come out once
        assertThat(choose(true, 8, 500 * MB, MB, true, true, true)).isEqualTo(JoinStrategy.SHUFFLE_RIGHT);
    }

    @Test
    void theCheapestWayWins() {
        // shipping 10 MB to 8 shards (90 MB) costs more than moving it once to its partitions (20 MB)
        assertThat(choose(false, 8, 500 * MB, 10 * MB, true, true, true)).isEqualTo(JoinStrategy.SHUFFLE_RIGHT);
        // with one shard on the left, shipping moves 2x, as much as repartitioning: the tie goes to shipping
        assertThat(choose(false, 1, 500 * MB, 10 * MB, true, true, true)).isEqualTo(JoinStrategy.BROADCAST);
        // a small left side goes to the right side's shards
        assertThat(choose(false, 8, 3 * MB, 400 * MB, false, true, true)).isEqualTo(JoinStrategy.SHUFFLE_LEFT);
        // neither side sharded on the key: both across the nodes, unless shipping is cheaper
        assertThat(choose(false, 4, 100 * MB, 100 * MB, false, false, true)).isEqualTo(JoinStrategy.SHUFFLE_BOTH);
        assertThat(choose(false, 2, 100 * MB, 20 * MB, false, false, true)).isEqualTo(JoinStrategy.BROADCAST);
    }

    @Test
    void aRightSideOverTheBroadcastLimitOrAQuarterOfTheBudgetIsNeverShipped() {
        long over = Broadcast.LIMIT_BYTES + 1;
        assertThat(choose(false, 1, 10 * over, over, false, false, true)).isEqualTo(JoinStrategy.SHUFFLE_BOTH);
        assertThat(JoinStrategy.choose(new JoinStrategy.Options(false, 1, 100 * MB, 5 * MB, 16 * MB, false, false, true)))
                .isEqualTo(JoinStrategy.SHUFFLE_BOTH);
        // nothing else possible: shipped, and refused at run time with a way out
        assertThat(choose(false, 1, MB, over, false, false, false)).isEqualTo(JoinStrategy.BROADCAST);
        assertThat(choose(true, 1, MB, over, false, false, false)).isNull();
    }

    @Test
    void withNoSizesAJoinIsShippedAsBeforeAndAFullJoinShuffled() {
        assertThat(choose(false, 4, -1, -1, true, true, true)).isEqualTo(JoinStrategy.BROADCAST);
        assertThat(choose(true, 4, -1, -1, false, true, true)).isEqualTo(JoinStrategy.SHUFFLE_LEFT);
        assertThat(choose(true, 4, -1, -1, false, false, false)).isNull();
    }

    @Test
    void costsAreTheBytesMoved() {
        JoinStrategy.Options o = new JoinStrategy.Options(false, 3, 100, 10, BUDGET, true, true, true);
        assertThat(JoinStrategy.BROADCAST.cost(o)).isEqualTo(40);
        assertThat(JoinStrategy.SHUFFLE_RIGHT.cost(o)).isEqualTo(20);
        assertThat(JoinStrategy.SHUFFLE_LEFT.cost(o)).isEqualTo(200);
        assertThat(JoinStrategy.SHUFFLE_BOTH.cost(o)).isEqualTo(220);
    }
}
