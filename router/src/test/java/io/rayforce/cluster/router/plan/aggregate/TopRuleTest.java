package io.rayforce.cluster.router.plan.aggregate;

import static io.rayforce.cluster.router.plan.aggregate.Rules.groups;
import static io.rayforce.cluster.router.plan.aggregate.Rules.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Literal;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.router.plan.Hidden;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code top} and {@code bot}: each shard's top k (per group, or of its values), the top k of their union. */
class TopRuleTest {
    private static final TopRule TOP = new TopRule(true);
    private static final TopRule BOT = new TopRule(false);

    private static Aggregate over(TopRule rule, long k) {
        return new Aggregate("t", rule, Column.of("x"), List.of(new Literal(I64Atom.of(k))));
    }

    @Test
    void groupsSendTheirTopKAndVectorsGatherEachShardsTopK() {
        assertThat(TOP.partials(over(TOP, 3), true).toString()).isEqualTo("[t: (top x 3)]");
        assertThat(BOT.partials(over(BOT, 2), false).toString()).isEqualTo("[__t_t: (first x)]");
        assertThat(TOP.gathered(over(TOP, 3))).isEqualTo(Column.of("x"));
        assertThat(TOP.onShard(over(TOP, 3), Name.of("v"))).isEqualTo(RayList.of(Name.of("top"), Name.of("v"), I64Atom.of(3)));
        assertThat(TOP.oneValue()).isFalse();
        assertThat(new String[] {TOP.name(), BOT.name()}).containsExactly("TOP", "BOT");
    }

    @Test
    void theTopKOfTheUnionLargestFirst() {
        RayTable p = table("t", RayList.of(I64Vector.of(9, 4), I64Vector.of(7, 5), I64Vector.of(1)));
        RayList got = (RayList) TOP.combine(over(TOP, 3), p, groups(new int[] {0, 1}, new int[] {2}));
        assertThat(got.get(0)).isEqualTo(I64Vector.of(9, 7, 5));
        assertThat(got.get(1)).isEqualTo(I64Vector.of(1));
        RayList bot = (RayList) BOT.combine(over(BOT, 2), p, groups(new int[] {0, 1, 2}));
        assertThat(bot.get(0)).isEqualTo(I64Vector.of(1, 4));
    }

    @Test
    void nullsOfAVectorAreTheSmallestValues() {
        // the engine: (top [5 3 1 0N 4 7] 10) ends with null, (bot [5 3 1 0N 4 7] 2) is [0N 1]
        RayTable p = table("t", RayList.of(I64Vector.of(5, 3, Nulls.I64), I64Vector.of(1, 4, 7)));
        assertThat(((RayList) TOP.combine(over(TOP, 10), p, groups(new int[] {0, 1}))).get(0))
                .isEqualTo(I64Vector.of(7, 5, 4, 3, 1, Nulls.I64));
        assertThat(((RayList) BOT.combine(over(BOT, 2), p, groups(new int[] {0, 1}))).get(0)).isEqualTo(I64Vector.of(Nulls.I64, 1));
    }

    @Test
    void symbolsInTheirOrderAndOneValuePerShardAsAPlainColumn() {
        RayTable p = table("t", SymbolVector.of("b", "c", "a"));
        assertThat(((RayList) TOP.combine(over(TOP, 2), p, groups(new int[] {0, 1, 2}))).get(0)).isEqualTo(SymbolVector.of("c", "b"));
    }

    @Test
    void groupsWithoutValuesKeepTheirEmptyVector() {
        RayTable p = table("t", RayList.of(F64Vector.of(), F64Vector.of()));
        assertThat(((RayList) TOP.combine(over(TOP, 2), p, groups(new int[] {0, 1}))).get(0)).isEqualTo(F64Vector.of());
    }

    @Test
    void noGroupsAreAnEmptyListAndAVectorOfNoValuesIsTypedByThePartial() {
        assertThat(TOP.empty(over(TOP, 2), null)).isEqualTo(RayList.EMPTY);
        RayTable shape = table(Hidden.part("t", "t"), F64Vector.of());
        assertThat(TOP.empty(over(TOP, 2), shape)).isEqualTo(F64Vector.of());
        assertThat(TOP.overNothing(over(TOP, 2), F64Vector.of())).isEqualTo(F64Vector.of());
    }
}
