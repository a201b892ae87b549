package io.rayforce.cluster.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Aggregates at the edges, cluster against one server on the same rows: i64 sums that wrap
 * (one shard's onto the null sentinel), averages of integers past the i64 range, -0.0 next to
 * 0.0 on other shards, filters that match nothing with only gathered aggregates, and a where
 * clause pruned to a shard that holds no rows of a table that has some. And grouped aggregates
 * that skip nulls where some shards hold nulls in the argument and others none (table e): a
 * shard without nulls sends each group's first (last) row's sequence number and counts the
 * group's rows (avg, the variance family, prod, the rank aggregates; wavg's weights), one with
 * nulls sends the sequence of its first (last) non-null value and counts the non-null values. Its
 * rows are laid out so that taking a null row's sequence on the shard with nulls would pick that
 * shard's later (earlier) value instead of another shard's: g1's first values are null on shard
 * a, then 2 on shard b, then 3 on a (one server: 2); g2's last are 4 on a, 5 on b, null on a
 * (one server: 5).
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
        cluster.createTable("e", "k", SHARDS, 1, "k:symbol", "g:symbol", "f:f64", "i:i64", "n:i32", "d:date", "ts:timestamp");
        String rows = "(table [k g f i n d ts] (list [a b a a b a c c] [g1 g1 g1 g2 g2 g2 g1 g3] "
                + "[0Nf 2.0 3.0 4.0 5.0 0Nf 7.0 8.0] [0Nl 2 3 4 5 0Nl 7 8] (as 'I32 [0N 2 3 4 5 0N 7 8]) "
                + "[0Nd 2024.01.02 2024.01.03 2024.01.04 2024.01.05 0Nd 2024.01.07 2024.01.08] "
                + "[0Np 2024.01.02D00:00:00.000000000 2024.01.03D00:00:00.000000000 2024.01.04D00:00:00.000000000 "
                + "2024.01.05D00:00:00.000000000 0Np 2024.01.07D00:00:00.000000000 2024.01.08D00:00:00.000000000]))";
        cluster.insert("e", (RayTable) cluster.oracle().execute(rows));
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
                "(select {n: (count x) by: k from: t where: (== k '" + absent + ")})",
                // grouped aggregates that skip nulls, with nulls on some shards only (table e)
                "(select {a: (first f) z: (last f) by: g from: e})",
                "(select {a: (first i) z: (last i) by: g from: e})",
                "(select {a: (first n) z: (last n) by: g from: e})",
                "(select {a: (first d) z: (last d) by: g from: e})",
                "(select {a: (first ts) z: (last ts) by: g from: e})",
                "(select {a: (first f) s: (sum i) z: (last d) by: g from: e where: (> i 2)})",
                "(select {a: (first f) z: (last ts) by: g from: e where: (in k [b c])})",
                "(select {a: (first f) z: (last f) by: k from: e})",
                "(select {a: (first f) z: (last i) from: e})",
                // the non-null count of avg and the variance family: (count x) where x holds no null
                "(select {a: (avg f) b: (avg i) c: (avg n) by: g from: e})",
                "(select {v: (var f) s: (dev i) t: (stddev n) by: g from: e})",
                "(select {a: (avg f) v: (var i) by: k from: e where: (> f 2.5)})",
                // and of the rank aggregates, prod, and wavg's weights (of the rows where x, its second argument, has a value)
                "(select {m: (med f) p: (percentile i 50) q: (quantile n 0.25) by: g from: e})",
                "(select {p: (prod i) q: (prod f) by: g from: e})",
                "(select {w: (wavg i f) x: (wavg f i) s: (wsum n f) by: g from: e})");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void clusterAnswersLikeOneServer(String query) {
        SameAnswer.assertSame(query, cluster.oracle().execute(query), client.execute(query));
    }

    @Test
    void shardsWithoutNullsSendTheirFirstRows() {
        assertThat(client.explain("(select {a: (first f) z: (last ts) by: g from: e})"))
                .contains("__a_s: (min (if (nil? f) 0Nl __seq))").contains("; where f, ts hold no null on the shard: ")
                .contains("__a_s: (first __seq)").contains("__z_s: (last __seq)")
                // first and last keep the groups in first appearance: no row count is needed
                .doesNotContain("__rows");
        assertThat(client.explain("(select {a: (avg f) v: (var i) by: g from: e})"))
                .contains("__a_n: (- (count f) (sum (nil? f)))").contains("; where f, i hold no null on the shard: ")
                .contains("__a_n: (count f)").contains("__v_n: (count i)");
        assertThat(client.explain("(select {w: (wavg i f) by: g from: e})"))
                .contains("; where f holds no null on the shard: ").contains("__w_w: (sum (as 'F64 i))");
        // a key named like the column: the shards would keep the null-skipping forms; the engine refuses it anyway
        String keyLikeColumn = "(select {a: (first f) by: {f: i} from: e})";
        assertThat(client.explain(keyLikeColumn)).doesNotContain("no null on the shard");
        assertThatThrownBy(() -> cluster.oracle().execute(keyLikeColumn)).hasMessageContaining("domain");
        assertThatThrownBy(() -> client.execute(keyLikeColumn)).hasMessageContaining("domain");
        // symbols: (in null column) would read the whole column, so their first keeps the null-skipping form
        assertThat(client.explain("(select {a: (first k) by: g from: e})")).doesNotContain("no null on the shard");
    }
}
