package io.rayforce.cluster.router.plan;

import io.rayforce.cluster.client.query.Call;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Literal;

import static io.rayforce.cluster.router.plan.EngineModel.aggregate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.plan.aggregate.Aggregate;
import io.rayforce.cluster.router.plan.aggregate.AggregateRules;
import io.rayforce.cluster.router.testing.SameAnswer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Ungrouped partials (and gathered values) from several shards finished into one row. */
class AggregateCombineTest {
    private static final Aggregate SUM = aggregate("s", "sum", "y");
    private static final Aggregate COUNT = aggregate("n", "count", "y");
    private static final Aggregate AVG = aggregate("a", "avg", "x");
    /** {@code t: (top x 2)} of a vector: gathered, each shard's top 2. */
    private static final Aggregate TOP = AggregateRules.recognize("t", new Call("top", List.of(Column.of("x"),
            new Literal(I64Atom.of(2)))));
    private static final Aggregate DISTINCT = aggregate("dc", "count_distinct", "x");

    /** One shard's partial row for {@code s: (sum y) n: (count y) a: (avg x)}. */
    private static RayTable shard(double sum, long count, long avgSum, long avgCount) {
        return RayTable.builder().column("s", F64Vector.of(sum)).column("n", I64Vector.of(count)).column("a", I64Vector.of(avgSum))
                .column(Hidden.part("a", "n"), I64Vector.of(avgCount)).build();
    }

    private static RayTable noRows() {
        return shard(0, 0, 0, 0).slice(0, 0);
    }

    private static RayTable combine(List<RayTable> shards) {
        return new AggregateCombine(null, List.of(SUM, COUNT, AVG), Map.of()).combine(shards, Map.of());
    }

    @Test
    void partialRowsFinishIntoOneRow() {
        RayTable got = combine(List.of(shard(1.5, 2, 10, 2), shard(2.5, 3, 5, 1)));
        assertThat(got).isEqualTo(RayTable.builder().column("s", F64Vector.of(4.0)).column("n", I64Vector.of(5))
                .column("a", F64Vector.of(5.0)).build());
    }

    @Test
    void oneShardIsFinishedLikeMany() {
        RayTable got = combine(List.of(shard(1.5, 2, 10, 4)));
        assertThat(got).isEqualTo(RayTable.builder().column("s", F64Vector.of(1.5)).column("n", I64Vector.of(2))
                .column("a", F64Vector.of(2.5)).build());
    }

    @Test
    void noAnswersGiveTheTypedEmptyAnswer() {
        RayTable got = combine(List.of());
        assertThat(got.rowCount()).isZero();
        assertThat(got.columnNames()).containsExactly("s", "n", "a");
        // no shard to tell the type of sum: i64; count is i64 and avg f64 whatever the input
        assertThat(got.columns()).extracting(Vector::type).extracting(Enum::name).containsExactly("I64", "I64", "F64");
    }

    @Test
    void shardsWithoutRowsGiveAnEmptyAnswerTypedAsTheirPartials() {
        // the engine answers an aggregate over an empty table with no rows
        RayTable got = combine(List.of(noRows(), noRows()));
        assertThat(got).isEqualTo(RayTable.builder().column("s", F64Vector.of()).column("n", I64Vector.of())
                .column("a", F64Vector.of()).build());
    }

    @Test
    void shardsWithoutRowsAreLeftOutOfTheRow() {
        RayTable got = combine(List.of(noRows(), shard(1.0, 1, 4, 1), noRows()));
        assertThat(got).isEqualTo(RayTable.builder().column("s", F64Vector.of(1.0)).column("n", I64Vector.of(1))
                .column("a", F64Vector.of(4.0)).build());
    }

    @Test
    void aFilterThatMatchedNothingEverywhereGivesOneRowOfEmptyAggregates() {
        // a shard with rows answers one partial row even when its filter matches nothing: sum 0, count 0
        RayTable got = combine(List.of(shard(0, 0, 0, 0), shard(0, 0, 0, 0)));
        assertThat(got.rowCount()).isEqualTo(1);
        assertThat(got.column("s")).isEqualTo(F64Vector.of(0));
        assertThat(got.column("n")).isEqualTo(I64Vector.of(0));
        assertThat(((F64Vector) got.column("a")).isNull(0)).isTrue();
    }

    @Test
    void gatheredValuesAreFinishedFromEveryShardsValues() {
        AggregateCombine plan = new AggregateCombine(null, List.of(COUNT, TOP, DISTINCT), Map.of());
        RayTable partial = RayTable.builder().column("n", I64Vector.of(3)).build();
        Map<String, RayList> gathered = new LinkedHashMap<>();
        gathered.put("t", RayList.of(I64Vector.of(5, Nulls.I64), I64Vector.of(), I64Vector.of(8, 3)));
        gathered.put("dc", RayList.of(I64Vector.of(Nulls.I64, 1), I64Vector.of(1, 2), I64Vector.of(Nulls.I64)));
        RayTable got = plan.combine(List.of(partial, partial, partial), gathered);
        assertThat(got).isEqualTo(RayTable.builder().column("n", I64Vector.of(9)).column("t", RayList.of(I64Vector.of(8, 5)))
                .column("dc", I64Vector.of(3)).build());
    }

    @Test
    void gatheredValuesMustBeVectors() {
        AggregateCombine plan = new AggregateCombine(null, List.of(COUNT, DISTINCT), Map.of());
        RayTable partial = RayTable.builder().column("n", I64Vector.of(3)).build();
        assertThatThrownBy(() -> plan.combine(List.of(partial), Map.of("dc", RayList.of(I64Atom.of(5)))))
                .isInstanceOf(ClusterQueryError.class).hasMessage("gathering dc gave a i64");
    }

    @Test
    void runWaitsForThePartialsAndEveryGather() {
        RayTable partial = RayTable.builder().column("n", I64Vector.of(2)).build();
        Map<String, Plan> gathers = Map.of("dc", new Fixed(RayList.of(I64Vector.of(1, 2), I64Vector.of(9, 1))));
        AggregateCombine plan = new AggregateCombine(Fixed.answers(partial, partial), List.of(COUNT, DISTINCT), gathers);
        assertThat(Fixed.run(plan)).isEqualTo(RayTable.builder().column("n", I64Vector.of(4)).column("dc", I64Vector.of(3)).build());
        assertThat(plan.inputs()).hasSize(2);
    }

    @Test
    void theShardsPruningLeftOutAreAskedOnlyWhenTheShardsReadHaveNoRows() {
        // the shard a where clause fixed holds rows: the others are not asked
        Fixed others = Fixed.answers(shard(0, 0, 0, 0));
        AggregateCombine plan = new AggregateCombine(Fixed.answers(shard(2.0, 1, 4, 1)), List.of(SUM, COUNT, AVG), Map.of(), others, false);
        assertThat(((RayTable) Fixed.run(plan)).rowCount()).isEqualTo(1);
        assertThat(others.runs()).hasValue(0);
        // it holds none, but the table has rows elsewhere (where the filter matches nothing): one row, as on one server
        Fixed nothingMatched = Fixed.answers(noRows(), shard(0, 0, 0, 0));
        RayTable got = (RayTable) Fixed.run(new AggregateCombine(Fixed.answers(noRows()), List.of(SUM, COUNT, AVG), Map.of(),
                nothingMatched, false));
        assertThat(nothingMatched.runs()).hasValue(1);
        assertThat(got.rowCount()).isEqualTo(1);
        assertThat(got.column("n")).isEqualTo(I64Vector.of(0));
        // the whole table is empty: no row
        RayTable none = (RayTable) Fixed.run(new AggregateCombine(Fixed.answers(noRows()), List.of(SUM, COUNT, AVG), Map.of(),
                Fixed.answers(noRows(), noRows()), false));
        assertThat(none.rowCount()).isZero();
    }

    @Test
    void explainShowsThePartialsThenTheGathers() {
        AggregateCombine plan = new AggregateCombine(new Fixed(null), List.of(AVG, DISTINCT), Map.of("dc", new Fixed(null)));
        assertThat(plan.explain()).isEqualTo("AggregateCombine [a=AVG, dc=COUNT_DISTINCT]\n  Fixed\n  Fixed");
        AggregateCombine pruned = new AggregateCombine(new Fixed(null), List.of(AVG), Map.of(), new Fixed(null), false);
        assertThat(pruned.explain()).isEqualTo("AggregateCombine [a=AVG], the last route only when the first has no rows\n"
                + "  Fixed\n  Fixed");
    }

    /** An aggregate of every rule, over i64 and f64 columns with nulls. */
    private static final List<Aggregate> SCALAR = GroupCombineTest.EVERY_RULE;

    /**
     * Random tables split into random shards (some empty): the shards' partial rows and gathered
     * values, finished by AggregateCombine, equal the aggregates over the whole table.
     */
    @Property(tries = 150)
    void finishedShardPartialsEqualTheAggregatesOfTheWholeTable(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        RayTable whole = EngineModel.randomTable(r, r.nextInt(40));
        List<RayTable> parts = EngineModel.split(whole, 1 + r.nextInt(6), r);
        List<RayTable> partials = parts.stream().map(p -> EngineModel.scalarPartials(p, SCALAR)).toList();
        Map<String, RayList> gathered = new LinkedHashMap<>();
        for (Aggregate a : SCALAR) {
            if (a.rule().gathered(a) != null) {
                List<RayValue> values = new ArrayList<>();
                parts.forEach(p -> values.add(EngineModel.gathered(p, a)));
                gathered.put(a.output(), RayList.of(values));
            }
        }
        RayTable got = new AggregateCombine(null, SCALAR, Map.of()).combine(partials, gathered);
        SameAnswer.assertSame("seed " + seed, EngineModel.directScalar(whole, SCALAR), got);
    }
}
