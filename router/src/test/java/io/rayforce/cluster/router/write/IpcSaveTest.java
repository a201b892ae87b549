package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.ipc.ValueWriter;
import io.rayforce.cluster.client.query.Column;
import io.rayforce.cluster.client.query.IpcSave;
import io.rayforce.cluster.client.query.Table;
import io.rayforce.cluster.client.testing.Hex;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayDict;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.coordinator.proto.TableSpec;
import io.rayforce.cluster.router.ZooKeeperPlacement;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import io.rayforce.cluster.router.testing.SameAnswer;
import io.rayforce.cluster.router.testing.TradeData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ipcsave ({@code (set name <query>)}) against one server: each shard storing its own part
 * (plain filtered or projected selects that keep the shard key), and the merged result written
 * back (aggregates, projections without the key, literal tables); the answers, the new tables'
 * contents and layout, later writes to them, replacing a table and the count-only form.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IpcSaveTest {
    private WriteCluster c;
    private Differential both;

    @BeforeAll
    void start() {
        c = new WriteCluster(3);
        both = new Differential(c.oracle, c.client);
        c.client.execute("(.cluster.create 'trades " + Statements.TRADES_EMPTY + " 'sym 4 2)");
        c.client.execute("(.cluster.createReplicated 'dim " + Statements.TRADES_EMPTY + ")");
        c.oracle.execute("(count (set trades " + Statements.TRADES_EMPTY + "))");
        c.oracle.execute("(count (set dim " + Statements.TRADES_EMPTY + "))");
        for (int batch = 0; batch < 3; batch++) {
            RayValue rows = TradeData.rows(batch, batch * 400, 400);
            both.same(Table.of("trades").insert((io.rayforce.cluster.client.value.RayTable) rows).toString());
        }
        both.same(Table.of("dim").insert(TradeData.rows(9, 0, 60)).toString());
    }

    @AfterAll
    void stop() {
        c.close();
    }

    private TableSpec spec(String table) {
        return ((ZooKeeperPlacement) c.client.placement()).snapshot().table(table).orElseThrow().getSpec();
    }

    /** The largest row sequence number in any replica of the table (read from the nodes themselves). */
    private long maxSeq(String table) {
        long max = -1;
        for (var agent : c.agents) {
            try (TCPClient node = new TCPClient("127.0.0.1", agent.ipcPort())) {
                for (int s = 0; s < spec(table).getShardCount(); s++) {
                    RayValue v = node.execute("(if (== (type (resolve '" + table + "__" + s + ")) 'TABLE) (max (at "
                            + table + "__" + s + " '__seq)) -1)");
                    if (v instanceof I64Atom a && !a.isNull()) {
                        max = Math.max(max, a.value());
                    }
                }
            }
        }
        return max;
    }

    @Test
    void filteredSelectIsStoredShardByShard() {
        both.same("(set big (select {from: trades where: (> px 50.0)}))");
        long rows = ((I64Atom) c.oracle.execute("(count big)")).value();
        assertThat(maxSeq("big")).as("row sequence carried over from trades (with gaps)").isGreaterThan(rows);
        both.same("big");
        both.same("(select {s: (sum qty) n: (count id) by: sym from: big})");
        assertThat(spec("big").getShardKey()).isEqualTo("sym");
        assertThat(spec("big").getShardCount()).isEqualTo(4);
        assertThat(spec("big").getReplicationFactor()).isEqualTo(2);
        // rows written later come after the rows carried over, as on one server
        both.same("(insert 'big (list 100000 'ZZ 'buy 99.5 7 0Np 2024.01.15 \"late\"))");
        both.same("big");
        both.same("(select {from: big take: -3})");
    }

    /** Whether any node's journal files hold {@code marker} (a request's names appear in its entry as they are). */
    private boolean journalsHold(String marker) {
        byte[] needle = marker.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (var agent : c.agents) {
            try (var files = java.nio.file.Files.walk(agent.engine().dataDir())) {
                for (var f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                    if (io.rayforce.cluster.router.testing.JournaledCluster.indexOf(java.nio.file.Files.readAllBytes(f), needle) >= 0) {
                        return true;
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return false;
    }

    @Test
    void aRowWiseSaveIsComputedOnTheNodesBesideItsSource() {
        both.same("(count (set onnodes (select {sym: sym p: (* px 2) q: qty from: trades where: (> qty 300)})))");
        both.same("onnodes");
        var snap = ((ZooKeeperPlacement) c.client.placement()).snapshot();
        for (int s = 0; s < 4; s++) {
            // shard s of the new table sits on the nodes of shard s of its source
            assertThat(snap.shard("onnodes", s).getReplicasList()).extracting(r -> r.getNodeId())
                    .containsExactlyInAnyOrderElementsOf(snap.shard("trades", s).getReplicasList().stream().map(r -> r.getNodeId())
                            .toList());
        }
        // each replica computed its part into a staging global from the source shard it holds (no insert of rows)
        assertThat(journalsHold("onnodes__0__w")).isTrue();
        assertThat(maxSeq("onnodes")).isGreaterThan(((I64Atom) c.oracle.execute("(count onnodes)")).value());
        // and the whole answer too, as one server's
        both.same("(set onnodes2 (select {from: trades where: (== side 'buy)}))");
        assertThat(journalsHold("onnodes2__3__w")).isTrue();
        both.same("(insert 'onnodes2 (list 100001 'ZZ 'buy 1.5 7 0Np 2024.01.15 \"late\"))");
        both.same("(select {from: onnodes2 take: -2})");
    }

    @Test
    void projectionKeepingTheShardKeyUnderAnotherName() {
        both.same("(set renamed (select {k: sym p: (* px 2) q: qty from: trades where: (> qty 500)}))");
        both.same("renamed");
        assertThat(spec("renamed").getShardKey()).isEqualTo("k");
        assertThat(spec("renamed").getShardCount()).isEqualTo(4);
        both.same("(select {n: (count q) by: k from: renamed})");
    }

    @Test
    void aggregatesAreMergedAndWrittenBackOnTheSourceKey() {
        both.same("(set bysym (select {s: (sum qty) n: (count id) a: (avg px) by: sym from: trades}))");
        long rows = ((I64Atom) c.oracle.execute("(count bysym)")).value();
        assertThat(maxSeq("bysym")).as("row sequence = row order of the merged result").isEqualTo(rows - 1);
        both.same("bysym");
        assertThat(spec("bysym").getShardKey()).isEqualTo("sym");
        assertThat(spec("bysym").getShardCount()).isEqualTo(4);
        both.same("(select {from: bysym where: (> n 10)})");
    }

    @Test
    void projectionWithoutTheKeyIsWrittenBackOnItsFirstColumn() {
        both.same("(set nokey (select {id: id px: px from: trades where: (< px 20.0)}))");
        both.same("nokey");
        assertThat(spec("nokey").getShardKey()).isEqualTo("id");
        both.same("(count nokey)");
        both.same("(select {from: nokey desc: px take: 4})");
        // the rows were repartitioned by id into the new shards' staging tables, their sequence carried over
        assertThat(journalsHold("nokey__1__w")).isTrue();
        assertThat(maxSeq("nokey")).isGreaterThan(((I64Atom) c.oracle.execute("(count nokey)")).value());
        both.same("(insert 'nokey (list 123456 1.25))");
        both.same("(select {from: nokey take: -2})");
    }

    /**
     * A saved table's columns carry the attribute bytes one server's (set name q) gives them, on
     * both paths on the nodes: beside the source, and repartitioned into staging tables.
     */
    @ParameterizedTest
    @ValueSource(strings = {"(set besideattrs (select {sym: sym side: side px: px from: trades where: (< px 20.0)}))",
        "(set movedattrs (select {id: id side: side note: note from: trades where: (< px 20.0)}))"})
    void savedColumnsKeepOneServersAttributes(String save) {
        both.same(save);
        String name = save.substring(5, save.indexOf(' ', 5));
        RayTable oracle = (RayTable) c.oracle.execute(name);
        RayTable cluster = (RayTable) c.client.execute(name);
        assertThat(Hex.of(ValueWriter.answerPayload(cluster))).as(name).isEqualTo(Hex.of(ValueWriter.answerPayload(oracle)));
    }

    @Test
    void aRepartitionedSaveComesBackWhenItsEnginesRestartFromTheirJournals() {
        both.same("(count (set moved (select {q: qty s: side from: trades where: (> qty 100)})))");
        assertThat(spec("moved").getShardKey()).isEqualTo("q");
        for (var agent : c.agents) {
            long pid = agent.engine().status().pid();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> agent.engine().status().up() && agent.engine().status().pid() != pid);
        }
        // up, and answering on its port (the status may say up a moment before a loaded machine lets it accept)
        for (var agent : c.agents) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                try (TCPClient node = new TCPClient("127.0.0.1", agent.ipcPort())) {
                    return node.execute("(+ 1 1)").equals(I64Atom.of(2));
                }
            });
        }
        // every replica was filled by journaled writes: each restarted engine has each of its shards whole
        var oracleRows = (io.rayforce.cluster.client.value.RayTable) c.oracle.execute("moved");
        long[] perShard = new long[4];
        for (int shard : io.rayforce.cluster.coordinator.meta.ShardFunction.shardsOf(oracleRows.column("q"), 4)) {
            perShard[shard]++;
        }
        int replicas = 0;
        for (var agent : c.agents) {
            try (TCPClient node = new TCPClient("127.0.0.1", agent.ipcPort())) {
                for (int s = 0; s < 4; s++) {
                    if (node.execute("(type (resolve 'moved__" + s + "))").equals(Symbol.of("TABLE"))) {
                        replicas++;
                        assertThat(node.execute("(count moved__" + s + ")")).as("moved__%d on %s", s, agent.nodeId())
                                .isEqualTo(I64Atom.of(perShard[s]));
                    }
                }
            }
        }
        assertThat(replicas).isEqualTo(8); // 4 shards, 2 replicas each
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> both.same("moved"));
        both.same("(select {n: (count s) by: s from: moved})");
    }

    @Test
    void sortedAndCutResultsKeepTheirOrder() {
        both.same("(set top (select {id: id sym: sym px: px from: trades desc: px take: 25}))");
        both.same("top");
        both.same("(insert 'top (list 1 'A 1.0))");
        both.same("top");
    }

    @Test
    void literalTableWithNoSource() {
        both.same("(set lit (table [a b c] (list [3 1 2] [x y z] [\"p\" \"q\" \"r\"])))");
        both.same("lit");
        assertThat(spec("lit").getShardKey()).isEqualTo("a");
        assertThat(spec("lit").getShardCount()).isEqualTo(3);
        assertThat(spec("lit").getReplicationFactor()).isEqualTo(2);
    }

    @Test
    void replicatedSourceStaysReplicated() {
        both.same("(set dimbuy (select {from: dim where: (== side 'buy)}))");
        both.same("dimbuy");
        assertThat(spec("dimbuy").getReplicatedToAll()).isTrue();
    }

    @Test
    void countOnlyAndQueryObjects() {
        both.same("(count (set cnt (select {from: trades where: (> qty 900)})))");
        both.same("cnt");
        IpcSave save = Table.of("trades").select("id", "sym", "qty").where(Column.of("qty").lt(50)).ipcsave("small");
        SameAnswer.assertSame(save.toString(), c.oracle.execute(save), c.client.execute(save));
        RayValue n = c.client.execute(save.countOnly());
        assertThat(n).isEqualTo(c.oracle.execute(save.countOnly()));
        assertThat(((I64Atom) n).value()).isGreaterThan(10);
        both.same("small");
    }

    @Test
    void savingOverATableReplacesIt() {
        both.same("(set again (select {from: trades where: (> px 90.0)}))");
        both.same("(set again (select {from: trades where: (< px 5.0)}))");
        both.same("again");
        // a table saved from itself: computed first, then replaced
        both.same("(set again (select {from: again where: (> qty 100)}))");
        both.same("again");
        RayDict d = (RayDict) c.client.execute("(.cluster.describe 'again)");
        assertThat(d.get("name")).isEqualTo(Symbol.of("again"));
    }

    /**
     * A merged save over a table it would lay out the same way replaces the table's rows in one
     * copy-on-write write: the table is not dropped (same creation epoch), readers meanwhile see the
     * old rows or the new ones and never no table, and the columns keep one server's attributes.
     */
    @Test
    void aMergedSaveOverATableOfTheSameLayoutReplacesItsRowsInPlace() throws Exception {
        long created = savedInPlace("grouped",
                "(set grouped (select {n: (count id) s: (sum qty) by: sym from: trades where: (> px 50.0)}))",
                "(set grouped (select {n: (count id) s: (sum qty) by: sym from: trades where: (< px 10.0)}))",
                "(set grouped (select {n: (count id) s: (sum qty) by: sym from: trades}))");
        both.same("(insert 'grouped (list 'ZZ 1 2))");
        both.same("(select {from: grouped where: (> n 1)})");
        // other columns: the layout differs, so the table is dropped and created again
        both.same("(set grouped (select {n: (count id) by: sym from: trades}))");
        assertThat(spec("grouped").getCreatedEpoch()).isGreaterThan(created);
        both.same("grouped");
    }

    /**
     * A save computed on the nodes over a table of the layout it would get replaces it in place as
     * well: each shard staged from its source shard beside it, or, when the rows move (the key is
     * not kept), repartitioned into the existing table's shards; no placement change either way.
     */
    @Test
    void anOnNodesSaveOverATableOfTheSameLayoutReplacesItInPlace() throws Exception {
        long created = savedInPlace("kept",
                "(set kept (select {from: trades where: (> px 50.0)}))",
                "(set kept (select {from: trades where: (< px 10.0)}))",
                "(set kept (select {from: trades where: (== side 'sell)}))");
        assertThat(journalsHold("kept__0__w")).as("staged on the nodes").isTrue();
        both.same("(insert 'kept (list 100002 'ZZ 'buy 1.5 7 0Np 2024.01.15 \"late\"))");
        both.same("(select {from: kept take: -2})");
        // another layout (the key not kept: sharded on its first column): dropped and created again
        both.same("(set kept (select {id: id p: px from: trades where: (> px 50.0)}))");
        assertThat(spec("kept").getCreatedEpoch()).isGreaterThan(created);
        both.same("kept");
        savedInPlace("moved",
                "(set moved (select {id: id p: px from: trades where: (> px 50.0)}))",
                "(set moved (select {id: id p: px from: trades where: (< qty 100)}))");
        assertThat(spec("moved").getShardKey()).isEqualTo("id");
    }

    /**
     * Runs the saves of {@code table} (the first creates it) three times over while a reader counts
     * its rows: the table keeps its creation epoch, every count the reader saw is one of the saves',
     * and the table ends as one server's, byte for byte. Answers the creation epoch.
     */
    private long savedInPlace(String table, String... saves) throws Exception {
        both.same(saves[0]);
        long created = spec(table).getCreatedEpoch();
        java.util.Set<RayValue> counts = new java.util.HashSet<>();
        for (String save : saves) {
            counts.add(c.oracle.execute("(count " + save.substring(save.indexOf("(select"), save.length() - 1) + ")"));
        }
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.List<RayValue> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                seen.add(c.client.execute("(count " + table + ")")); // a missing table would throw here and fail the join below
            }
        });
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        reader.setUncaughtExceptionHandler((t, e) -> failed.set(e));
        reader.start();
        try {
            for (int round = 0; round < 3; round++) {
                for (String save : saves) {
                    both.same(save);
                }
            }
        } finally {
            done.set(true);
            reader.join();
        }
        assertThat(failed.get()).as("a read during the saves").isNull();
        assertThat(seen).isNotEmpty();
        assertThat(counts).containsAll(new java.util.HashSet<>(seen));
        assertThat(spec(table).getCreatedEpoch()).as("replaced in place, not dropped and created").isEqualTo(created);
        both.same(table);
        RayTable oracle = (RayTable) c.oracle.execute(table);
        RayTable cluster = (RayTable) c.client.execute(table);
        assertThat(Hex.of(ValueWriter.answerPayload(cluster))).isEqualTo(Hex.of(ValueWriter.answerPayload(oracle)));
        return created;
    }

    /**
     * A write function applied to a table by name answers a changed copy: saved as any other table,
     * its where: reading the table's columns even where a cluster table has the same name.
     */
    @Test
    void savedCopyFormsOfWrites() {
        both.same("(set dcopy (delete {from: trades where: (> qty 100)}))");
        both.same("dcopy");
        both.same("(set ucopy (update {from: trades qty: (* qty 2) where: (< px 10.0)}))");
        both.same("ucopy");
        both.same("(count trades)");
        // a column named like another cluster table: inside the query the column is meant, as on one server
        both.same("(set k (table [z] (list [7 8 9])))");
        both.same("(set dt (table [k v] (list (til 5) (* 10 (til 5)))))");
        both.same("(delete {from: dt where: (== k 2)})");
        both.same("(set dr (delete {from: dt where: (== k 2)}))");
        both.same("dr");
        both.same("(update {from: dt v: (+ v k) where: (> k 2)})");
        both.same("k");
    }

    @Test
    void onlyTablesCanBeStored() {
        // a value that is not a table is a global (docs/globals.md), not a table
        assertThat(c.client.execute("(set xglobal (count trades))")).isInstanceOf(I64Atom.class);
        assertThat(c.client.execute("(.cluster.tables)").toString()).doesNotContain("xglobal");
        assertThat(c.client.execute("xglobal")).isInstanceOf(I64Atom.class);
        assertThatThrownBy(() -> c.client.execute("(set bad__name (select {from: trades}))"))
                .isInstanceOf(UnsupportedQueryError.class).hasMessageContaining("invalid table name");
    }
}
