package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.StringVector;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.meta.ClusterSnapshot;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.plan.aggregate.Aggregate;
import io.rayforce.cluster.router.plan.aggregate.AggregateRules;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** mode from every shard's count of each value per group: the most counted, of those the first to appear. */
class ModeCombineTest {
    private static final Aggregate MODE = AggregateRules.recognize("m", new Call("mode", List.of(Column.of("x"))));
    private static final Aggregate MODE_IN_SELECT = AggregateRules.at(AggregateRules.Place.GROUPED, MODE);

    /** Shards that answer with fixed tables of (keys, __v, __n, __f). */
    private record Answers(List<String> keyNames, List<RayTable> tables) implements ModeCombine.Shards {
        @Override
        public CompletableFuture<List<RayTable>> ask(QueryContext ctx, PlanEnv env, Plan step, Aggregate mode) {
            return CompletableFuture.completedFuture(tables);
        }

        @Override
        public String describe() {
            return "fixed";
        }
    }

    private static RayTable counts(SymbolVector k, io.rayforce.cluster.client.value.Vector v, long[] n, long[] first) {
        return RayTable.builder().column("k", k).column(ModeCombine.VALUE, v).column(ModeCombine.COUNT, new I64Vector(n))
                .column(ModeCombine.FIRST, new I64Vector(first)).build();
    }

    private static RayTable run(ModeCombine plan) {
        return (RayTable) plan.run(new QueryContext(ClusterSnapshot.empty(), null, false), null).join();
    }

    @Test
    void theMostCountedValueAcrossShardsAndTheFirstOfTies() {
        // group a: 3 twice on shard 1 and once on shard 2 (3 in all) beats 1 (2 on shard 1, first); group b: 7 and 9 tie, 9 first
        RayTable s1 = counts(SymbolVector.of("a", "a", "b"), I64Vector.of(1, 3, 7), new long[] {2, 2, 1}, new long[] {0, 4, 5});
        RayTable s2 = counts(SymbolVector.of("a", "b", "c"), I64Vector.of(3, 9, Nulls.I64), new long[] {1, 1, 4},
                new long[] {9, 2, 3});
        RayTable combined = RayTable.builder().column("k", SymbolVector.of("a", "b", "c")).column("m", I64Vector.of(1, 7, Nulls.I64))
                .build();
        RayTable got = run(new ModeCombine(new Fixed(combined), List.of(MODE), new Answers(List.of("k"), List.of(s1, s2))));
        assertThat(got.column("m")).isEqualTo(I64Vector.of(3, 9, Nulls.I64));
        assertThat(got.column("k")).isEqualTo(SymbolVector.of("a", "b", "c"));
    }

    @Test
    void minusZeroIsZeroAndAnsweredAsZero() {
        RayTable s1 = counts(SymbolVector.of("a"), F64Vector.of(-0.0), new long[] {2}, new long[] {0});
        RayTable s2 = counts(SymbolVector.of("a", "a"), F64Vector.of(0.0, 5.0), new long[] {1, 2}, new long[] {3, 1});
        RayTable combined = RayTable.builder().column("k", SymbolVector.of("a")).column("m", F64Vector.of(-0.0)).build();
        RayTable got = run(new ModeCombine(new Fixed(combined), List.of(MODE), new Answers(List.of("k"), List.of(s1, s2))));
        assertThat(Double.doubleToRawLongBits(((F64Vector) got.column("m")).get(0))).isEqualTo(Double.doubleToRawLongBits(0.0));
    }

    @Test
    void aSelectCountsTheEmptyStringAVectorDoesNot() {
        RayTable s1 = RayTable.builder().column(ModeCombine.VALUE, new StringVector(new String[] {"", "n4"}))
                .column(ModeCombine.COUNT, I64Vector.of(5, 2)).column(ModeCombine.FIRST, I64Vector.of(0, 1)).build();
        RayTable combined = RayTable.builder().column("m", new StringVector(new String[] {"n4"})).build();
        Answers shards = new Answers(List.of(), List.of(s1));
        assertThat(run(new ModeCombine(new Fixed(combined), List.of(MODE), shards)).column("m"))
                .isEqualTo(new StringVector(new String[] {"n4"}));
        assertThat(run(new ModeCombine(new Fixed(combined), List.of(MODE_IN_SELECT), shards)).column("m"))
                .isEqualTo(new StringVector(new String[] {""}));
    }

    @Test
    void noGroupsAskNothing() {
        RayTable none = RayTable.builder().column("m", I64Vector.of()).build();
        assertThat(run(new ModeCombine(new Fixed(none), List.of(MODE), new Answers(List.of(), null)))).isSameAs(none);
    }

    @Test
    void explainNamesTheModes() {
        assertThat(new ModeCombine(new Fixed(null), List.of(MODE), new Answers(List.of(), List.of())).explain())
                .isEqualTo("ModeCombine [m=MODE] over fixed: each shard's count of each value per group\n  Fixed");
    }
}
