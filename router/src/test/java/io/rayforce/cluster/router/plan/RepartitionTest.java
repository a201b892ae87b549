package io.rayforce.cluster.router.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.Named;
import io.rayforce.cluster.client.query.SelectQuery;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.client.rayfall.TreeWalk;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.Name;
import io.rayforce.cluster.client.value.Nulls;
import io.rayforce.cluster.client.value.RayList;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.coordinator.meta.ShardFunction;
import io.rayforce.cluster.coordinator.proto.NodeInfo;
import io.rayforce.cluster.router.exec.Executor;
import io.rayforce.cluster.router.exec.NodeConnections;
import io.rayforce.cluster.router.exec.QueryCancelledError;
import io.rayforce.cluster.router.exec.QueryContext;
import io.rayforce.cluster.router.exec.ResultLimitError;
import io.rayforce.cluster.router.testing.LocalShards;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A shuffle's side on real engines: every row lands once in the partition its key hashes to, on
 * that partition's node, sorted by its sequence; the router holds a few chunks at a time however
 * many rows pass; {@link DropTemporaries} leaves nothing behind after an answer, an engine error
 * or a cancel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RepartitionTest {
    private static final int ROWS = 3000;
    private LocalShards cluster;
    private NodeConnections connections;
    private PlanEnv env;

    @BeforeAll
    void load() {
        cluster = new LocalShards(3);
        cluster.createTable("t", "id", 4, 2, "id:i64", "k:i64", "s:symbol");
        cluster.createTable("none", "id", 2, 1, "id:i64", "k:i64", "s:symbol");
        SplittableRandom r = new SplittableRandom(5);
        long[] id = new long[ROWS];
        long[] k = new long[ROWS];
        String[] s = new String[ROWS];
        for (int i = 0; i < ROWS; i++) {
            id[i] = i;
            // skewed keys with nulls: half the rows have key 7
            k[i] = r.nextInt(20) == 0 ? Nulls.I64 : r.nextBoolean() ? 7 : r.nextInt(100);
            s[i] = "s" + r.nextInt(30);
        }
        cluster.insert("t", RayTable.builder().column("id", new I64Vector(id)).column("k", new I64Vector(k))
                .column("s", new SymbolVector(s)).build());
        connections = new NodeConnections(ClientOptions.DEFAULT.withMaxFrameBytes(Integer.MAX_VALUE - 8), 8);
        env = new PlanEnv(new Executor(connections), null, Executors.newCachedThreadPool());
    }

    @AfterAll
    void stop() {
        connections.close();
        env.blocking().shutdownNow();
        cluster.close();
    }

    private QueryContext ctx() {
        return new QueryContext(cluster.snapshot(), Duration.ofSeconds(60), false);
    }

    private List<NodeInfo> nodes() {
        return List.of(cluster.snapshot().nodes().get("n2"), cluster.snapshot().nodes().get("n0"),
                cluster.snapshot().nodes().get("n1"));
    }

    /** The rows of {@code table} with {@code where} among rows [start, start + n) of a shard, with the sequence as {@code __rs}. */
    static Repartition.ChunkRequest chunks(io.rayforce.cluster.client.query.Expr where) {
        return (u, start, n) -> {
            RayValue select = new SelectQuery(Table.of(u.global()), List.of(Column.of("k").named(), Column.of("s").named(),
                    new Named("__rs", Column.of("__seq"))), where, List.of(), List.of(), null).ipc();
            RayValue slice = RayList.of(Name.of("take"), Name.of(u.global()), I64Vector.of(start, n));
            return TreeWalk.rewrite(select, v -> v.equals(Name.of(u.global())) ? slice : v);
        };
    }

    private Repartition repartition(String table, io.rayforce.cluster.client.query.Expr where, long chunkBytes, String part) {
        return new Repartition("side " + table, table, table.equals("t") ? new int[] {0, 1, 2, 3} : new int[] {0, 1}, chunks(where), "k", nodes(), part, "__rs", chunkBytes, 10);
    }

    private RayTable onNode(NodeInfo n, String global) {
        int i = Integer.parseInt(n.getId().substring(1));
        return (RayTable) cluster.node(i).execute("(select {from: " + global + "})");
    }

    private boolean exists(NodeInfo n, String global) {
        int i = Integer.parseInt(n.getId().substring(1));
        RayValue t = cluster.node(i).execute(RayList.of(Name.of("type"), RayList.of(Name.of("resolve"), Symbol.of(global))));
        return t.equals(Symbol.of("TABLE"));
    }

    @Test
    void everyRowLandsOnceInItsPartitionSortedBySequenceWithAFewChunksHeld() {
        QueryContext ctx = ctx();
        Repartition r = repartition("t", null, 2048, "a");
        RayTable placement = (RayTable) r.run(ctx, env).join();
        try {
            assertThat(((SymbolVector) placement.column("node")).toList()).containsExactly("n2", "n0", "n1");
            Set<Long> seen = new HashSet<>();
            long[] counted = ((I64Vector) placement.column("rows")).toArray();
            for (int p = 0; p < 3; p++) {
                RayTable part = onNode(nodes().get(p), Repartition.temporaries(placement).get(p));
                assertThat(part.columnNames()).containsExactly("k", "s", "__rs");
                assertThat((long) part.rowCount()).isEqualTo(counted[p]);
                long[] seq = ((I64Vector) part.column("__rs")).toArray();
                assertThat(seq).isSorted();
                int[] partOf = ShardFunction.shardsOf(part.column("k"), 3);
                for (int i = 0; i < partOf.length; i++) {
                    assertThat(partOf[i]).isEqualTo(p);
                    assertThat(seen.add(seq[i])).as("row %s once", seq[i]).isTrue();
                }
            }
            assertThat(seen).hasSize(ROWS);
            // the skewed key's partition holds half the rows and the null keys are together
            assertThat(counted[ShardFunction.shardOf(I64Atom.of(7), 3)]).isGreaterThan(ROWS / 3);
            long[] moved = ctx.moved(r);
            long[] sent = ctx.sent(r);
            assertThat(moved[0]).isEqualTo(ROWS);
            assertThat(sent[0]).isEqualTo(ROWS);
            // about 60 KB passed through; the router held at most a few chunks (and their pieces) at once
            assertThat(moved[1]).isGreaterThan(40_000);
            assertThat(ctx.memoryPeak()).isLessThan(6 * 2 * 2048 + 4096);
            assertThat(ctx.memoryUsed()).isZero();
        } finally {
            dropAll(ctx, r);
        }
    }

    @Test
    void aFilterKeepsItsRowsAndAnEmptySideMakesTypedEmptyPartitions() {
        QueryContext ctx = ctx();
        Repartition r = repartition("t", io.rayforce.cluster.client.query.Expr.col("k").eq(7), 0, "b");
        Repartition none = repartition("none", null, 0, "c");
        RayTable placement = (RayTable) r.run(ctx, env).join();
        RayTable empty = (RayTable) none.run(ctx, env).join();
        try {
            long total = 0;
            for (long n : ((I64Vector) placement.column("rows")).toArray()) {
                total += n;
            }
            long sevens = ((I64Atom) cluster.oracle().execute("(count (select {from: t where: (== k 7)}))")).value();
            assertThat(total).isEqualTo(sevens);
            assertThat(((I64Vector) empty.column("rows")).toArray()).containsExactly(0, 0, 0);
            for (int p = 0; p < 3; p++) {
                RayTable part = onNode(nodes().get(p), Repartition.temporaries(empty).get(p));
                assertThat(part.rowCount()).isZero();
                assertThat(part.column("k")).isInstanceOf(I64Vector.class);
                assertThat(part.column("s")).isInstanceOf(SymbolVector.class);
            }
        } finally {
            dropAll(ctx, r, none);
        }
    }

    private void dropAll(QueryContext ctx, Repartition... rs) {
        new DropTemporaries(new Fixed(I64Atom.of(0)), List.of(rs)).run(ctx, env).join();
        for (Repartition r : rs) {
            r.temporaries(ctx).forEach((n, names) -> names.forEach(t -> assertThat(exists(n, t)).as(t).isFalse()));
        }
    }

    @Test
    void theTemporariesGoAfterAnAnswerAnErrorOrACancel() {
        // an answer
        QueryContext ok = ctx();
        Repartition a = repartition("t", null, 0, "d");
        new DropTemporaries(a, List.of(a)).run(ok, env).join();
        a.temporaries(ok).forEach((n, names) -> names.forEach(t -> assertThat(exists(n, t)).as(t).isFalse()));

        // an engine error in the third chunk of a shard, after the partitions were made and filled in part
        QueryContext failing = ctx();
        Repartition.ChunkRequest good = chunks(null);
        Repartition bad = new Repartition("side t", "t", new int[] {0, 1, 2, 3}, (u, start, n) -> start > 20
                ? RayList.of(Name.of("+"), I64Atom.of(1), Symbol.of("x")) : good.of(u, start, n), "k", nodes(), "e", "__rs", 0, 10);
        assertThatThrownBy(() -> new DropTemporaries(bad, List.of(bad)).run(failing, env).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(RayforceEvaluationError.class);
        bad.temporaries(failing).forEach((n, names) -> names.forEach(t -> assertThat(exists(n, t)).as(t).isFalse()));

        // a cancel while rows stream
        QueryContext cancelled = ctx();
        AtomicReference<QueryContext> self = new AtomicReference<>(cancelled);
        Repartition slow = new Repartition("side t", "t", new int[] {0, 1, 2, 3}, (u, start, n) -> {
            if (start > 50) {
                self.get().cancel("the client went away");
            }
            return good.of(u, start, n);
        }, "k", nodes(), "f", "__rs", 0, 10);
        assertThatThrownBy(() -> new DropTemporaries(slow, List.of(slow)).run(cancelled, env).join())
                .hasCauseInstanceOf(QueryCancelledError.class);
        slow.temporaries(cancelled).forEach((n, names) -> names.forEach(t -> assertThat(exists(n, t)).as(t).isFalse()));
    }

    @Test
    void aChunkOverTheMemoryBudgetFailsWithLimitNamingTheStep() {
        QueryContext ctx = ctx();
        ctx.limitMemory(1000);
        Repartition r = repartition("t", null, 64 << 10, "g");
        assertThatThrownBy(() -> new DropTemporaries(r, List.of(r)).run(ctx, env).join())
                .hasCauseInstanceOf(ResultLimitError.class).hasMessageContaining("at step Repartition side t by k");
        r.temporaries(ctx).forEach((n, names) -> names.forEach(t -> assertThat(exists(n, t)).as(t).isFalse()));
    }

    @Test
    void explainSaysWhereThePartitionsAre() {
        Repartition r = repartition("t", null, 0, "h");
        assertThat(r.explain()).isEqualTo("Repartition side t by k into 3 partitions on n2,n0,n1, each sorted by __rs, in bounded chunks");
        assertThat(new DropTemporaries(r, List.of(r)).explain()).startsWith("DropTemporaries of 1 repartition (on every node");
        List<String> names = new ArrayList<>(r.temporaries(ctx()).values().stream().flatMap(List::stream).toList());
        assertThat(names).hasSize(3).allMatch(io.rayforce.cluster.coordinator.meta.ClusterNaming::isTemporaryGlobal);
    }
}
