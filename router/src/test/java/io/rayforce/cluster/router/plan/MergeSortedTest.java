package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.merge.RowOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Sorted shard answers merged into one server's row order: sort keys, then insertion order. */
class MergeSortedTest {
    private static final RowOrder.Key PX_DESC = new RowOrder.Key("px", true);
    private static final RayTable EMPTY = RayTable.builder().column("px", F64Vector.of()).column(Hidden.SEQ, I64Vector.of()).build();

    private static RayTable rows(double[] px, long[] seq) {
        return RayTable.builder().column("px", F64Vector.of(px)).column(Hidden.SEQ, I64Vector.of(seq)).build();
    }

    private static long[] seqs(RayTable t) {
        return ((I64Vector) t.column(Hidden.SEQ)).toArray();
    }

    private static RayTable merge(List<RowOrder.Key> keys, long limit, RayTable... parts) {
        return new MergeSorted(null, keys, limit, EMPTY).merge(List.of(parts));
    }

    @Test
    void withoutKeysRowsComeInInsertionOrder() {
        RayTable got = merge(List.of(), -1, rows(new double[] {1, 2, 3}, new long[] {0, 3, 4}), rows(new double[] {4, 5},
                new long[] {1, 2}));
        assertThat(seqs(got)).containsExactly(0, 1, 2, 3, 4);
        assertThat(got.column("px")).isEqualTo(F64Vector.of(1, 4, 5, 2, 3));
    }

    @Test
    void tiedKeysFallBackToInsertionOrderAcrossShards() {
        // shard 0 holds the later of the tied rows: insertion order wins over shard order
        RayTable got = merge(List.of(PX_DESC), -1, rows(new double[] {5, 5, 1}, new long[] {3, 6, 0}),
                rows(new double[] {5, 2}, new long[] {1, 2}));
        assertThat(seqs(got)).containsExactly(1, 3, 6, 2, 0);
    }

    @Test
    void nullsAreLowestSoFirstAscendingAndLastDescending() {
        RayTable a = rows(new double[] {Nulls.F64, 3}, new long[] {0, 1});
        RayTable b = rows(new double[] {Nulls.F64, 2}, new long[] {2, 3});
        assertThat(seqs(merge(List.of(new RowOrder.Key("px", false)), -1, a, b))).containsExactly(0, 2, 3, 1);
        RayTable ad = rows(new double[] {3, Nulls.F64}, new long[] {1, 0});
        RayTable bd = rows(new double[] {2, Nulls.F64}, new long[] {3, 2});
        assertThat(seqs(merge(List.of(PX_DESC), -1, ad, bd))).containsExactly(1, 3, 0, 2);
    }

    @Test
    void aLimitKeepsTheFirstRows() {
        RayTable a = rows(new double[] {9, 5}, new long[] {0, 1});
        RayTable b = rows(new double[] {8, 1}, new long[] {2, 3});
        assertThat(seqs(merge(List.of(PX_DESC), 3, a, b))).containsExactly(0, 2, 1);
        assertThat(merge(List.of(PX_DESC), 0, a, b).rowCount()).isZero();
        assertThat(merge(List.of(PX_DESC), 10, a, b).rowCount()).isEqualTo(4);
    }

    @Test
    void noAnswersGiveTheEmptyShape() {
        assertThat(Fixed.run(new MergeSorted(Fixed.answers(), List.of(PX_DESC), -1, EMPTY))).isSameAs(EMPTY);
    }

    @Test
    void oneAnswerWithNothingToDoIsPassedThrough() {
        RayTable a = rows(new double[] {1, 2}, new long[] {0, 1});
        assertThat(merge(List.of(), -1, a)).isSameAs(a);
        assertThat(seqs(merge(List.of(), 1, a))).containsExactly(0);
    }

    @Test
    void emptyAnswersMergeToNoRows() {
        RayTable none = rows(new double[0], new long[0]);
        assertThat(merge(List.of(PX_DESC), -1, none, none)).isEqualTo(none);
    }

    @Test
    void runMergesARoutesAnswersAndRefusesANonTable() {
        RayTable a = rows(new double[] {1}, new long[] {1});
        RayTable b = rows(new double[] {2}, new long[] {0});
        assertThat(seqs((RayTable) Fixed.run(new MergeSorted(Fixed.answers(a, b), List.of(), -1, EMPTY)))).containsExactly(0, 1);
        MergeSorted bad = new MergeSorted(new Fixed(RayList.of(a, I64Atom.of(3))), List.of(), -1, EMPTY);
        assertThatThrownBy(() -> Fixed.run(bad)).hasCauseInstanceOf(ClusterQueryError.class)
                .hasMessageContaining("a shard answered a row select with a i64 where a table was expected");
    }

    @Test
    void explainShowsKeysAndLimit() {
        assertThat(new MergeSorted(new Fixed(null), List.of(PX_DESC), 5, EMPTY).explain())
                .isEqualTo("MergeSorted by [desc px] then __seq, first 5\n  Fixed");
        assertThat(new MergeSorted(new Fixed(null), List.of(), -1, EMPTY).describe()).isEqualTo("MergeSorted by __seq");
    }

    /**
     * Random tables with tied and null sort keys dealt out to random shards, each shard sorted
     * as the engine sorts it (stably, so ties keep insertion order): the merge equals the whole
     * table sorted stably, cut at the limit.
     */
    @Property(tries = 200)
    void mergedShardsEqualTheWholeTableSorted(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        RayTable whole = EngineModel.randomTable(r, r.nextInt(80));
        String[] sortable = {"k", "j", "x", "y"};
        List<RowOrder.Key> keys = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            keys.add(new RowOrder.Key(sortable[r.nextInt(sortable.length)], r.nextBoolean()));
        }
        Sort shardSort = new Sort(null, keys);
        List<RayTable> parts = EngineModel.split(whole, 1 + r.nextInt(7), r).stream().map(shardSort::apply).toList();
        long limit = r.nextInt(3) == 0 ? -1 : r.nextInt(whole.rowCount() + 2);
        RayTable expected = shardSort.apply(whole);
        if (limit >= 0 && limit < expected.rowCount()) {
            expected = expected.slice(0, (int) limit);
        }
        RayTable got = new MergeSorted(null, keys, limit, whole.slice(0, 0)).merge(parts);
        assertThat(got).as("keys %s limit %d", keys, limit).isEqualTo(expected);
    }
}
