package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.RayforceEvaluationError;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import io.rayforce.cluster.router.testing.SameAnswer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the cluster refuses, and why, next to what it accepts: writes that one server would
 * take but that cannot be split over shards (upsert keys without the shard key, assigning the
 * shard key, adding a column while assigning it, running functions by group; aggregates and groups are
 * computed over the whole table first, see WriteFormsTest), inserts the engine would leave ragged, and the same statements on a
 * table whose rows all sit on one shard, where they agree with one server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriteRulesTest {
    private WriteCluster c;
    private Differential both;

    @BeforeAll
    void start() {
        c = new WriteCluster(2);
        both = new Differential(c.oracle, c.client);
        c.client.execute("(.cluster.create 'tt " + Statements.TRADES_EMPTY + " 'sym 3 2)");
        c.client.execute("(.cluster.create 'one " + Statements.TRADES_EMPTY + " 'sym 1 2)");
        c.client.execute("(.cluster.create 'other " + Statements.TRADES_EMPTY + " 'sym 2 1)");
        for (String n : new String[] {"tt", "one", "other"}) {
            c.oracle.execute("(count (set " + n + " " + Statements.TRADES_EMPTY + "))");
        }
        String rows = "(list [1 2 3 4 5 6] [A B C A B GG] [buy sell buy sell buy sell] [10.5 20.5 30.5 40.5 50.5 60.5] "
                + "[100 200 300 400 500 600] [2024.01.15D09:30:00.000000000 0Np 0Np 0Np 0Np 0Np] "
                + "[2024.01.15 2024.01.16 2024.01.17 0Nd 0Nd 0Nd] [\"a\" \"b\" \"c\" \"d\" \"e\" \"f\"])";
        both.same("(insert 'tt " + rows + ")");
        both.same("(insert 'one " + rows + ")");
        both.same("(insert 'other " + rows + ")");
    }

    @AfterAll
    void stop() {
        c.close();
    }

    private void refused(String statement, Class<? extends Throwable> type, String why) {
        RayValue before = c.client.execute("tt");
        assertThatThrownBy(() -> c.client.execute(statement)).as(statement).isInstanceOf(type).hasMessageContaining(why);
        SameAnswer.assertSame(statement + " changed nothing", before, c.client.execute("tt"));
    }

    @Test
    void splitWritesThatCannotBeSplitAreRefused() {
        refused("(upsert 'tt 1 (list 1 'A 'buy 1.0 1 0Np 2024.01.15 \"x\"))", UnsupportedQueryError.class,
                "the shard key sym must be one of the 1 key column(s) [id]");
        refused("(update {sym: 'Z by: side from: 'tt})", UnsupportedQueryError.class, "cannot assign the shard key column sym with by:");
        refused("(update {__extra: 1 from: 'tt})", UnsupportedQueryError.class, "cannot add column __extra: invalid column name");
        refused("(update {sym: 'Z extra: 1 from: 'tt})", UnsupportedQueryError.class,
                "cannot add column extra in the update that assigns the shard key column sym");
        refused("(update {qty: (sums qty) by: side from: 'tt})", UnsupportedQueryError.class, "must be computed row by row");
        refused("(delete {from: 'tt where: (in sym (at other 'sym))})", UnsupportedQueryError.class,
                "cannot refer to the cluster table other");
        refused("(delete {from: 'tt where: (> __seq 1)})", UnsupportedQueryError.class, "no column __seq");
        // one server changes the column's type; a cluster table keeps the types it was created with
        refused("(update {qty: (+ qty 1.5) from: 'tt})", UnsupportedQueryError.class,
                "would change column qty from I64 to F64");
    }

    @Test
    void raggedInsertsAreRefusedBeforeTheEngineSeesThem() {
        refused("(insert 'tt (list [7 8] [A B] [buy sell] [1.0] [1 2] [0Np 0Np] [2024.01.15 2024.01.15] [\"x\" \"y\"]))",
                RayforceEvaluationError.class, "item 4 has 1 value(s) but the ones before it have 2");
        refused("(insert 'tt (list 7 [A B] 'buy 1.0 1 0Np 2024.01.15 \"x\"))", RayforceEvaluationError.class,
                "the engine would leave the table ragged");
        refused("(insert 'tt (dict [id sym] (list [7 8] [A B])))", RayforceEvaluationError.class,
                "a dict of 2 rows must give every column");
        refused("(insert 'tt (dict [id sym px side qty ts d note] (list [7 8] [A B] [1.0 2.0] [buy] [1 2] [0Np 0Np] "
                + "[2024.01.15 2024.01.15] [\"x\" \"y\"])))", RayforceEvaluationError.class, "column side has 1 value(s)");
        refused("(upsert 'one 2 (list [7 8] [A B] [buy] [1.0 2.0] [1 2] [0Np 0Np] [2024.01.15 2024.01.15] [\"x\" \"y\"]))",
                RayforceEvaluationError.class, "ragged");
    }

    @Test
    void oneShardTablesTakeWhatOneServerTakes() {
        both.same("(update {px: (avg px) by: side from: 'one})");
        both.same("(update {qty: (sums qty) from: 'one})");
        both.same("(update {sym: 'Z from: 'one where: (== id 1)})");
        both.same("(upsert 'one 1 (list [1 9] [Q R] [buy buy] [1.0 9.0] [1 9] [0Np 0Np] [2024.01.15 2024.01.15] [\"p\" \"q\"]))");
        both.same("(delete {from: 'one where: (> px (avg px))})");
        both.same("one");
    }

    @Test
    void enginesOwnErrorsComeBackWithTheirCodes() {
        both.same("(delete {from: 'tt})"); // domain: delete needs where
        both.same("(insert 'nosuch (list 1))"); // domain
        both.same("(upsert 'tt 0 (list 1))"); // domain
        both.same("(update {px: (avg px) by: sym from: 'tt where: (> qty 1)})"); // nyi: where and by together
        both.same("(update {qty: [1 2 3 4 5 6 7] from: 'tt})"); // length
        both.same("tt");
    }

    @Test
    void copyFormsAnswerAChangedCopyAndChangeNothing() {
        both.same("(insert tt (list 9 'Q 'buy 9.0 9 0Np 2024.01.15 \"z\"))");
        both.same("(update {px: 0.0 from: tt where: (== sym 'A)})");
        both.same("(delete {from: tt where: (> qty 250)})");
        both.same("(upsert one 1 (list 1 'Q 'buy 9.0 9 0Np 2024.01.15 \"z\"))");
        both.same("tt");
        both.same("one");
    }

    @Test
    void dataFromQueriesGoesThroughTheReadPath() {
        both.same("(insert 'tt (select {from: other where: (> qty 300)}))");
        both.same("(insert 'tt (select {id: id sym: sym side: side px: px qty: qty ts: ts d: d note: note from: other "
                + "where: (== side 'buy)}))");
        both.same("tt");
        both.same("(select {n: (count id) by: sym from: tt})");
    }
}
