package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.coordinator.meta.ShardFunction;
import io.rayforce.cluster.router.exec.ClusterQueryError;
import io.rayforce.cluster.router.exec.Executor;
import io.rayforce.cluster.router.exec.NodeConnections;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.exec.ReplicaChoice;
import io.rayforce.cluster.router.exec.ResultLimitError;
import io.rayforce.cluster.router.exec.ResultLimits;
import io.rayforce.cluster.router.exec.UnitId;
import io.rayforce.cluster.router.testing.LocalShards;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The shard fan-out leaf, on real native engines: one answer per shard, in shard order. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteTest {
    private static final int SHARDS = 4;
    private LocalShards cluster;
    private NodeConnections connections;
    private PlanEnv env;

    @BeforeAll
    void load() {
        cluster = new LocalShards(2);
        cluster.createTable("t", "id", SHARDS, 2, "id:i64", "v:i64");
        cluster.insert("t", RayTable.builder().column("id", I64Vector.of(LongStream.range(0, 40).toArray()))
                .column("v", I64Vector.of(LongStream.range(100, 140).toArray())).build());
        connections = new NodeConnections(ClientOptions.DEFAULT, 4);
        env = new PlanEnv(new Executor(connections), null, null);
    }

    @AfterAll
    void stop() {
        connections.close();
        cluster.close();
    }

    private QueryContext ctx() {
        return new QueryContext(cluster.snapshot(), Duration.ofSeconds(30), false);
    }

    private static Route wholeShards(int... shards) {
        return new Route("t", shards, u -> Name.of(u.global()), "<shard>");
    }

    @Test
    void everyShardAnswersOnceInShardOrder() {
        List<RayTable> answers = Route.tables(wholeShards(0, 1, 2, 3).run(ctx(), env).join(), "a test");
        assertThat(answers).hasSize(SHARDS);
        long rows = 0;
        for (int s = 0; s < SHARDS; s++) {
            long[] ids = ((I64Vector) answers.get(s).column("id")).toArray();
            for (long id : ids) {
                assertThat(ShardFunction.shardOf(I64Atom.of(id), SHARDS)).isEqualTo(s);
            }
            assertThat(ids).isSorted();
            rows += ids.length;
        }
        assertThat(rows).isEqualTo(40);
    }

    @Test
    void onlyTheRoutesShardsAreAsked() {
        QueryContext ctx = ctx();
        RayValue v = wholeShards(3, 1).run(ctx, env).join();
        assertThat(((RayList) v).length()).isEqualTo(2);
        assertThat(ctx.trace().attempts()).extracting(a -> a.unit().shard()).containsExactlyInAnyOrder(3, 1);
        assertThat(wholeShards().run(ctx(), env).join()).isEqualTo(RayList.EMPTY);
    }

    @Test
    void eachRequestIsBuiltFromItsUnitAtTheQuerysEpoch() {
        QueryContext ctx = ctx();
        List<UnitId> units = new ArrayList<>();
        Route counts = new Route("t", new int[] {0, 1, 2, 3}, u -> {
            synchronized (units) {
                units.add(u);
            }
            return RayList.of(Name.of("count"), Name.of(u.global()));
        }, "(count <shard>)");
        RayList answers = (RayList) counts.run(ctx, env).join();
        assertThat(SumCounts.sum(answers)).isEqualTo(I64Atom.of(40));
        assertThat(units).containsExactlyInAnyOrder(new UnitId("t", 0, ctx.epoch()), new UnitId("t", 1, ctx.epoch()),
                new UnitId("t", 2, ctx.epoch()), new UnitId("t", 3, ctx.epoch()));
    }

    @Test
    void aChoiceOfReplicasKeepsTheUnitsOnThem() {
        QueryContext ctx = ctx();
        ReplicaChoice onlyN1 = (snapshot, unit) -> snapshot.liveReplicas(unit.table(), unit.shard()).stream()
                .filter(n -> n.getId().equals("n1")).toList();
        wholeShards(0, 1, 2, 3).on(onlyN1).run(ctx, env).join();
        assertThat(ctx.trace().attempts()).hasSize(SHARDS).allSatisfy(a -> assertThat(a.node()).startsWith("n1 "));
    }

    @Test
    void anAnsweringRouteCountsItsRowsAgainstTheQuerysLimits() {
        QueryContext limited = ctx();
        limited.limitResults(new ResultLimits(25, 0));
        assertThatThrownBy(() -> wholeShards(0, 1, 2, 3).answering().run(limited, env).join())
                .hasMessageContaining("passed the limit of 25 rows");
        // the other units are cancelled; the query reports the limit
        assertThat(limited.resultLimitExceeded()).isInstanceOf(ResultLimitError.class);
        assertThat(limited.isCancelled()).isTrue();
        // a route whose answers are not the answer's rows (a take or an aggregate follows) is not counted
        QueryContext notCounted = ctx();
        notCounted.limitResults(new ResultLimits(25, 0));
        assertThat(((RayList) wholeShards(0, 1, 2, 3).run(notCounted, env).join()).length()).isEqualTo(SHARDS);
    }

    @Test
    void answersThatAreNotTablesAreRefusedWhereTablesAreExpected() {
        RayValue counts = RayList.of(I64Atom.of(3));
        assertThatThrownBy(() -> Route.tables(counts, "a grouped select")).isInstanceOf(ClusterQueryError.class)
                .hasMessage("a shard answered a grouped select with a i64 where a table was expected");
    }

    @Test
    void explainShowsTheTableShardRangesAndRequest() {
        assertThat(new Route("t", new int[] {0, 1, 2, 4, 5, 7}, u -> null, "(count <shard>)").explain())
                .isEqualTo("Route t shards 0-2,4-5,7: (count <shard>)");
        assertThat(wholeShards(3).describe()).isEqualTo("Route t shards 3: <shard>");
        assertThat(wholeShards().describe()).isEqualTo("Route t shards none: <shard>");
        assertThat(wholeShards(0, 2).answering().table()).isEqualTo("t");
    }
}
