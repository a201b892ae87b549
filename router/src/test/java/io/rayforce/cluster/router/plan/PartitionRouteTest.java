package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.router.exec.Executor;
import io.rayforce.cluster.router.exec.NodeConnections;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.exec.ResultLimits;
import io.rayforce.cluster.router.testing.LocalShards;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Work over a shuffle's partitions, on the partitions' nodes, with each partition's temporaries. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartitionRouteTest {
    private LocalShards cluster;
    private NodeConnections connections;
    private PlanEnv env;

    @BeforeAll
    void load() {
        cluster = new LocalShards(2);
        cluster.createTable("l", "id", 3, 1, "id:i64", "k:i64", "s:symbol");
        cluster.createTable("r", "w", 2, 2, "k:i64", "w:i64", "s:symbol");
        cluster.insert("l", RayTable.builder().column("id", I64Vector.of(LongStream.range(0, 200).toArray()))
                .column("k", I64Vector.of(LongStream.range(0, 200).map(i -> i % 37).toArray()))
                .column("s", new SymbolVector(LongStream.range(0, 200).mapToObj(i -> "s" + i % 3).toArray(String[]::new))).build());
        cluster.insert("r", RayTable.builder().column("k", I64Vector.of(LongStream.range(0, 90).map(i -> i % 45).toArray()))
                .column("w", I64Vector.of(LongStream.range(0, 90).toArray()))
                .column("s", new SymbolVector(LongStream.range(0, 90).mapToObj(i -> "t" + i).toArray(String[]::new))).build());
        connections = new NodeConnections(ClientOptions.DEFAULT, 8);
        env = new PlanEnv(new Executor(connections), null, Executors.newCachedThreadPool());
    }

    @AfterAll
    void stop() {
        connections.close();
        env.blocking().shutdownNow();
        cluster.close();
    }

    private List<NodeInfo> nodes() {
        return List.of(cluster.snapshot().nodes().get("n0"), cluster.snapshot().nodes().get("n1"));
    }

    private Repartition side(String table, int shards, String key, String part, List<NodeInfo> nodes) {
        int[] s = java.util.stream.IntStream.range(0, shards).toArray();
        return new Repartition(table, table, s, (u, start, n) -> RayList.of(Name.of("take"), Name.of(u.global()),
                I64Vector.of(start, n)), key, nodes, part, null, 0, 16);
    }

    @Test
    void eachPartitionIsJoinedOnItsNodeAndTheAnswersComeInPartitionOrder() {
        QueryContext ctx = new QueryContext(cluster.snapshot(), Duration.ofSeconds(30), false);
        Repartition l = side("l", 3, "k", "pl", nodes());
        Repartition r = side("r", 2, "k", "pr", nodes());
        PartitionRoute join = new PartitionRoute(List.of(l, r), t -> RayList.of(Name.of("count"), RayList.of(Name.of("inner-join"),
                SymbolVector.of("k"), Name.of(t.get(0)), Name.of(t.get(1)))), "(count (inner-join [k] <l> <r>))", false);
        RayList answers = (RayList) new DropTemporaries(join, List.of(l, r)).run(ctx, env).join();
        assertThat(answers.length()).isEqualTo(2);
        long total = ((I64Atom) answers.get(0)).value() + ((I64Atom) answers.get(1)).value();
        assertThat(total).isEqualTo(((I64Atom) cluster.oracle().execute("(count (inner-join [k] l r))")).value());
        // both partitions got work: neither answer is the whole
        assertThat(((I64Atom) answers.get(0)).value()).isPositive().isLessThan(total);
        assertThat(ctx.trace().attempts()).filteredOn(a -> a.node().startsWith("n1 ")).isNotEmpty();
        // two i64 atoms: 10 bytes each on the wire
        assertThat(ctx.moved(join)).containsExactly(2, 20);
    }

    @Test
    void answeringPartitionsCountAgainstTheResultLimits() {
        QueryContext ctx = new QueryContext(cluster.snapshot(), Duration.ofSeconds(30), false);
        ctx.limitResults(new ResultLimits(5, 0));
        Repartition l = side("l", 3, "k", "ql", nodes());
        PartitionRoute rows = new PartitionRoute(List.of(l), t -> Name.of(t.get(0)), "<l>", true);
        assertThatThrownBy(() -> new DropTemporaries(rows, List.of(l)).run(ctx, env).join()).hasMessageContaining("limit of 5 rows");
    }

    @Test
    void itsInputsMustBePartitionedAlike() {
        Repartition a = side("l", 3, "k", "al", nodes());
        Repartition b = side("r", 2, "k", "ar", List.of(nodes().get(1), nodes().get(0)));
        assertThatThrownBy(() -> new PartitionRoute(List.of(a, b), t -> null, "x", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitioned alike");
        assertThat(new PartitionRoute(List.of(a), t -> null, "(f <l>)", false).explain())
                .startsWith("PartitionRoute 2 partitions on n0,n1: (f <l>)\n  Repartition l by k into 2 partitions");
    }
}
