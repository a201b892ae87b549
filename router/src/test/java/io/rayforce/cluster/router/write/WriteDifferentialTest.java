package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.RayTable;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The differential oracle for writes: a long random sequence of inserts (one row, columns, dicts,
 * tables, a select of the table itself), upserts (existing and repeated keys, partial dicts, one
 * and two key columns), updates, deletes and refused statements, applied to the cluster and to
 * one native server in the same order. After every statement the whole table and, every few
 * statements, selects and group-bys must be equal. Tables: sharded 4 ways with replication 2,
 * on one shard with replication 3, replicated to every node, sharded on an integer key, and
 * sharded 5 ways on the first of two key columns; one table stays empty.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriteDifferentialTest {
    private WriteCluster c;
    private Differential both;

    @BeforeAll
    void start() {
        c = new WriteCluster(3);
        both = new Differential(c.oracle, c.client);
        create("trades", Statements.TRADES_EMPTY, "(.cluster.create 'trades " + Statements.TRADES_EMPTY + " 'sym 4 2)");
        create("flat", Statements.TRADES_EMPTY, "(.cluster.create 'flat " + Statements.TRADES_EMPTY + " 'id 1 3)");
        create("everywhere", Statements.TRADES_EMPTY, "(.cluster.createReplicated 'everywhere " + Statements.TRADES_EMPTY + ")");
        create("acct", Statements.ACCT_EMPTY, "(.cluster.create 'acct " + Statements.ACCT_EMPTY + " 'id 3 1)");
        create("acctAll", Statements.ACCT_EMPTY, "(.cluster.createReplicated 'acctAll " + Statements.ACCT_EMPTY + ")");
        create("pos", Statements.POS_EMPTY, "(.cluster.create 'pos " + Statements.POS_EMPTY + " 'sym 5 2)");
        create("nothing", Statements.TRADES_EMPTY, "(.cluster.create 'nothing " + Statements.TRADES_EMPTY + " 'sym 2 2)");
    }

    private void create(String name, String empty, String admin) {
        c.client.execute(admin);
        c.oracle.execute("(count (set " + name + " " + empty + "))");
    }

    @AfterAll
    void stop() {
        c.close();
    }

    @Test
    void tradesTablesAgreeWithOneServer() {
        Statements gen = new Statements(11);
        SplittableRandom pick = new SplittableRandom(5);
        List<String> tables = List.of("trades", "flat", "everywhere");
        int accepted = 0;
        for (int step = 0; step < 240; step++) {
            String t = tables.get(pick.nextInt(tables.size()));
            accepted += both.same(gen.trades(t)) ? 1 : 0;
            both.same(t);
            if (step % 12 == 11) {
                queries(t);
            }
        }
        for (String t : tables) {
            queries(t);
            assertThat(((RayTable) c.oracle.execute(t)).rowCount()).as("rows left in %s", t).isGreaterThan(20);
        }
        queries("nothing");
        assertThat(accepted).as("statements the engine accepted").isBetween(150, 230);
    }

    @Test
    void keyedTablesAgreeWithOneServer() {
        Statements gen = new Statements(23);
        SplittableRandom pick = new SplittableRandom(7);
        int accepted = 0;
        for (int step = 0; step < 240; step++) {
            int k = pick.nextInt(3);
            String t = k == 0 ? "acct" : k == 1 ? "acctAll" : "pos";
            accepted += both.same(k == 2 ? gen.pos(t) : gen.acct(t)) ? 1 : 0;
            both.same(t);
        }
        assertThat(accepted).as("statements the engine accepted").isBetween(180, 238);
        assertThat(((RayTable) c.oracle.execute("acct")).rowCount()).isGreaterThan(10);
        both.same("(select {s: (sum bal) n: (count id) by: sym from: acct})");
        both.same("(select {q: (sum qty) by: acct from: pos})");
        both.same("(select {from: acct where: (> bal 50.0) asc: bal})");
    }

    private void queries(String t) {
        both.same("(count " + t + ")");
        both.same("(select {from: " + t + " where: (> px 50.0)})");
        both.same("(select {s: (sum qty) n: (count id) mx: (max px) by: sym from: " + t + "})");
        both.same("(select {id: id px: px from: " + t + " desc: px take: 5})");
        both.same("(select {f: (first px) l: (last note) a: (avg qty) by: side from: " + t + "})");
        both.same("(select {n: (count id) by: d from: " + t + " where: (not (nil? ts))})");
    }
}
