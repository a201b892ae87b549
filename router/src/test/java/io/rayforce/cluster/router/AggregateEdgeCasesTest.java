package io.rayforce.cluster.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.meta.ShardFunction;
import io.rayforce.cluster.router.testing.LocalShards;
import io.rayforce.cluster.router.testing.SameAnswer;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Aggregates at the edges, cluster against one server on the same rows: i64 sums that wrap
 * (one shard's onto the null sentinel), averages of integers past the i64 range, -0.0 next to
 * 0.0 on other shards, filters that match nothing with only gathered aggregates, and a where
 * clause pruned to a shard that holds no rows of a table that has some.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AggregateEdgeCasesTest {
    private static final int SHARDS = 8;
    private LocalShards cluster;
    private ClusterClient client;
    /** A key of no row whose shard holds no rows either. */
    private String absent;

    @BeforeAll
    void load() {
        cluster = new LocalShards(2);
        cluster.createTable("t", "k", SHARDS, 1, "k:symbol", "x:i64", "z:f64");
        // a, b and c on three different shards
        assertThat(Set.of(shard("a"), shard("b"), shard("c"))).hasSize(3);
        long max = Long.MAX_VALUE;
        cluster.insert("t", RayTable.builder().column("k", SymbolVector.of("a", "a", "b", "c", "c"))
                .column("x", I64Vector.of(max, 1, 5, max, max)).column("z", F64Vector.of(0.0, 1.0, -0.0, 2.0, 0.0)).build());
        absent = IntStream.range(0, 100).mapToObj(i -> "zz" + i).filter(k -> !Set.of(shard("a"), shard("b"), shard("c"))
                .contains(shard(k))).findFirst().orElseThrow();
        client = new ClusterClient(cluster);
    }

    private static int shard(String key) {
        return ShardFunction.shardOf(Symbol.of(key), SHARDS);
    }

    @AfterAll
    void stop() {
        client.close();
        cluster.close();
    }

    Stream<String> queries() {
        return Stream.of(
                // shard a's (sum x) is 0Nl: the wrapped sum's bits are the null's
                "(select {s: (sum x) from: t})",
                "(select {s: (sum x) by: z from: t})",
                "(select {a: (avg x) from: t})",
                "(select {a: (avg x) by: k from: t})",
                "(select {n: (count x) s: (sum x) by: z from: t})",
                "(select {d: (count (distinct z)) from: t})",
                "(select {d: (count (distinct z)) n: (count x) by: k from: t})",
                "(select {m: (med x) from: t where: (< x 0)})",
                "(select {d: (count (distinct x)) from: t where: (< x 0)})",
                "(select {m: (med z) d: (count (distinct k)) from: t})",
                "(select {n: (count x) from: t where: (== k '" + absent + ")})",
                "(select {n: (count x) m: (med x) f: (first z) from: t where: (== k '" + absent + ")})",
                "(select {n: (count x) by: k from: t where: (== k '" + absent + ")})");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void clusterAnswersLikeOneServer(String query) {
        SameAnswer.assertSame(query, cluster.oracle().execute(query), client.execute(query));
    }
}
