package io.rayforce.cluster.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.F64Vector;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Temporals;
import io.rayforce.cluster.client.value.TimestampVector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.router.exec.ResultLimits;
import io.rayforce.cluster.router.testing.LocalShards;
import io.rayforce.cluster.router.testing.SameAnswer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Joins of tables not sharded on the join key, shuffled (docs/planner.md, Joins): the right side
 * repartitioned to the left table's shards, the left side to the right table's, or both across
 * the nodes, each partition joined where it lies. Every answer equals one native server's, rows
 * and order, for every join kind, with nulls and skewed keys (a third of the rows share one key),
 * several matches, unmatched rows on both sides, filtered and projected sides, an empty table, a
 * one-shard table, and chunks small enough that each shard streams in several. No temporary is
 * left on any node after any query.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShuffleJoinTest {
    private static final int ROWS = 30_000;
    private LocalShards cluster;
    private ClusterClient client;
    /** Small enough that every shard's rows stream in several chunks. */
    private final QueryOptions small = QueryOptions.DEFAULT.withMemoryBudget(64L << 20);

    @BeforeAll
    void load() {
        cluster = new LocalShards(3);
        cluster.createTable("a", "id", 5, 2, "id:i64", "k:i64", "s:symbol", "v:f64", "ts:timestamp");
        cluster.createTable("b", "k", 3, 1, "k:i64", "w:i64", "t:symbol", "ts:timestamp");
        cluster.createTable("d", "w", 4, 2, "k:i64", "w:i64", "s:symbol");
        cluster.createTable("c", "s", 1, 1, "s:symbol", "k:i64", "z:f64");
        cluster.createTable("e", "k", 4, 1, "k:i64", "w:i64", "t:symbol", "ts:timestamp");
        cluster.insert("a", rowsA(1, ROWS));
        cluster.insert("b", rowsB(2, ROWS));
        cluster.insert("b", rowsB(3, 500)); // a second batch: more matches, later sequences
        cluster.insert("d", rowsD(4, ROWS * 3 / 2));
        cluster.insert("c", RayTable.builder().column("s", SymbolVector.of("s1", "s2", "", "s1", "s9"))
                .column("k", I64Vector.of(7, 3, Nulls.I64, 7, 999_999)).column("z", F64Vector.of(1.5, 2.5, 3.5, Nulls.F64, 5.0))
                .build());
        client = new ClusterClient(cluster);
    }

    /** A key: a third of the rows 7, one in twenty null, the rest spread (some beyond the other side's keys). */
    private static long key(SplittableRandom r, int spread) {
        int x = r.nextInt(60);
        return x < 3 ? Nulls.I64 : x < 23 ? 7 : r.nextInt(spread);
    }

    private static RayTable rowsA(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] id = new long[n];
        long[] k = new long[n];
        String[] s = new String[n];
        double[] v = new double[n];
        long[] ts = new long[n];
        long t0 = Temporals.nanos(java.time.Instant.parse("2024-01-15T09:30:00Z"));
        for (int i = 0; i < n; i++) {
            id[i] = i;
            k[i] = key(r, 4000);
            s[i] = "s" + r.nextInt(12);
            v[i] = r.nextInt(30) == 0 ? Nulls.F64 : r.nextInt(1000) / 10.0;
            ts[i] = t0 + r.nextLong(3_600_000_000_000L);
        }
        return RayTable.builder().column("id", new I64Vector(id)).column("k", new I64Vector(k)).column("s", new SymbolVector(s))
                .column("v", new F64Vector(v)).column("ts", new TimestampVector(ts)).build();
    }

    private static RayTable rowsB(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] k = new long[n];
        long[] w = new long[n];
        String[] t = new String[n];
        long[] ts = new long[n];
        long t0 = Temporals.nanos(java.time.Instant.parse("2024-01-15T09:30:00Z"));
        for (int i = 0; i < n; i++) {
            // keys 7 are few here (3 of 30,000, 1 of 500), so the skewed key's matches stay countable
            long other = i % 5000 == 17 ? Nulls.I64 : 100 + r.nextInt(20_000); // null keys match null keys: few
            k[i] = i % 10_000 == 5 ? 7 : other;
            w[i] = r.nextInt(50);
            t[i] = r.nextInt(15) == 0 ? "" : "t" + r.nextInt(40);
            ts[i] = t0 + r.nextLong(3_600_000_000_000L);
        }
        return RayTable.builder().column("k", new I64Vector(k)).column("w", new I64Vector(w)).column("t", new SymbolVector(t))
                .column("ts", new TimestampVector(ts)).build();
    }

    private static RayTable rowsD(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] k = new long[n];
        long[] w = new long[n];
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            long other = key(r, 4000) == 7 ? 4001 + r.nextInt(100) : r.nextInt(4000);
            k[i] = i % 7000 == 3 ? 7 : other;
            w[i] = r.nextInt(1000);
            s[i] = "s" + r.nextInt(12);
        }
        return RayTable.builder().column("k", new I64Vector(k)).column("w", new I64Vector(w)).column("s", new SymbolVector(s))
                .build();
    }

    @AfterEach
    void noTemporaryIsLeft() {
        for (int i = 0; i < 3; i++) {
            SymbolVector globals = (SymbolVector) cluster.node(i).execute("(key (env 0))");
            assertThat(globals.toList()).as("globals of n%d", i).noneMatch(ClusterNaming::isTemporaryGlobal);
        }
    }

    @AfterAll
    void stop() {
        client.close();
        cluster.close();
    }

    static Stream<String> queries() {
        return Stream.of(
                // a (on id) with b (on k): the left side goes to b's shards
                "(left-join [k] a b)", "(inner-join [k] a b)", "(anti-join [k] a b)", "(full-join [k] a b)",
                "(left-join [k] (select {id: id k: k v: v from: a where: (> v 50.0)}) b)",
                "(inner-join [k] (select {k: k s: s from: a where: (< id 5000)}) (select {k: k w: w from: b where: (> w 10)}))",
                "(asof-join [k ts] (select {k: k ts: ts id: id from: a where: (< id 8000)}) b)",
                "(window-join [k ts] (list (- (at a 'ts) 600000000000) (+ (at a 'ts) 0)) a b {n: (count w) m: (max w)})",
                // b (on k) with a: the right side goes to b's shards
                "(left-join [k] b a)", "(inner-join [k] (select {k: k w: w from: b where: (< w 5)}) a)", "(full-join [k] b d)",
                // a (on id) with d (on w): both sides across the nodes
                "(left-join [k] a d)", "(inner-join [k s] a d)", "(full-join [k] (select {k: k id: id from: a where: (< id 3000)}) d)",
                "(anti-join [k] d a)",
                // an empty table, a one-shard table
                "(left-join [k] a e)", "(inner-join [k] e a)", "(full-join [k] e a)", "(left-join [s] a c)", "(full-join [k] c a)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void shuffledJoinsAnswerLikeOneServer(String query) {
        RayValue expected = cluster.oracle().execute(query);
        RayValue actual = client.query(query, small).value();
        SameAnswer.assertSame(query, expected, actual);
    }

    @Test
    void eachShuffleIsChosenWhereItMovesLeast() {
        assertThat(client.explain("(left-join [k] a b)")).contains("shuffled: left side a repartitioned by k to the 3 shards of b")
                .contains("Repartition left side a by k into 3 partitions").contains("DropTemporaries");
        assertThat(client.explain("(left-join [k] b a)")).contains("shuffled: right side a repartitioned by k to the 3 shards of b")
                .contains("each sorted by __rseq");
        assertThat(client.explain("(left-join [k] a d)")).contains("shuffled: both sides repartitioned by k across 3 nodes")
                .contains("PartitionRoute 3 partitions on n0,n1,n2");
        // a small right side is still shipped
        assertThat(client.explain("(left-join [s] a c)")).contains("right side c shipped");
        // a full join, which cannot be shipped, is shuffled rather than moved whole to the router's engine
        assertThat(client.explain("(full-join [k] c a)")).contains("shuffled").doesNotContain("ScratchEval");
    }

    @Test
    void theRouterHoldsChunksNotTheSides() {
        // the whole left side is about 1.2 MB; with a 1 MB budget it streams through in chunks
        QueryOptions tiny = QueryOptions.DEFAULT.withMemoryBudget(1L << 20);
        String q = "(inner-join [k] (select {k: k id: id from: a}) (select {k: k w: w from: b where: (== w 3)}))";
        QueryResult r = client.query(q, tiny);
        SameAnswer.assertSame(q, cluster.oracle().execute(q), r.value());
        assertThat(r.plan()).contains("Repartition left side a").contains("[moved " + ROWS + " rows");
        // an answer over the budget is refused with limit, naming the step, and the temporaries still go
        String all = "(left-join [k] a b)";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.query(all, tiny))
                .isInstanceOf(io.rayforce.cluster.router.exec.ResultLimitError.class)
                .hasMessageContaining("router memory budget of 1 MB").hasMessageContaining("at step");
    }

    @Test
    void answerLimitsStopAShuffleAndItsTemporariesGo() {
        QueryOptions limited = QueryOptions.DEFAULT.withResultLimits(new ResultLimits(10, 0)).withTimeout(Duration.ofSeconds(30));
        List<Throwable> errors = new ArrayList<>();
        try {
            client.query("(full-join [k] a d)", limited);
        } catch (RuntimeException e) {
            errors.add(e);
        }
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).hasMessageContaining("limit of 10 rows");
    }
}
