package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.coordinator.meta.ShardFunction;
import io.rayforce.cluster.router.exec.UnsupportedQueryError;
import io.rayforce.cluster.router.testing.SameAnswer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The engine's table write forms on cluster tables, against one native server given the same
 * statements (issue 14): each form on a table sharded 3 ways on k with replication 2 and on a
 * table replicated to every node, the table compared after every statement; the forms the
 * cluster refuses on sharded data name the form and what to do instead, and change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriteFormsTest {
    private static final String EMPTY = "(table [k s v g] (list (as 'I64 []) (as 'SYM []) (as 'I64 []) (as 'SYM [])))";
    private static final String ROWS = "(list [1 2 3 4 5 6 7 8] [a b c d e f g h] [10 20 30 40 50 60 70 80] [x y x y x y z x])";

    private WriteCluster c;
    private Differential both;

    @BeforeAll
    void start() {
        c = new WriteCluster(2);
        both = new Differential(c.oracle, c.client);
    }

    @AfterAll
    void stop() {
        c.close();
    }

    /** A sharded table (3 shards on k, replication 2) and a replicated one, both holding ROWS, on both sides. */
    private void tables(String sharded, String replicated) {
        c.client.execute("(.cluster.create '" + sharded + " " + EMPTY + " 'k 3 2)");
        c.client.execute("(.cluster.createReplicated '" + replicated + " " + EMPTY + ")");
        for (String t : new String[] {sharded, replicated}) {
            c.oracle.execute("(count (set " + t + " " + EMPTY + "))");
            both.same("(insert '" + t + " " + ROWS + ")");
        }
    }

    /** The statement on both sides, then the table compared. */
    private void same(String table, String statement) {
        both.same(statement);
        both.same(table);
    }

    private void refused(String table, String statement, String why) {
        RayValue before = c.client.execute(table);
        assertThatThrownBy(() -> c.client.execute(statement)).as(statement).isInstanceOf(UnsupportedQueryError.class)
                .hasMessageContaining(why);
        SameAnswer.assertSame(statement + " changed nothing", before, c.client.execute(table));
    }

    @Test
    void upsertKeyedByName() {
        tables("un", "ur");
        for (String t : new String[] {"un", "ur"}) {
            same(t, "(upsert '" + t + " 'k (list 2 'z 99 'x))");
            same(t, "(upsert '" + t + " 'k (list [2 9 9 3] [p q r s] [1 2 3 4] [m m m m]))");
            same(t, "(upsert '" + t + " 'k (dict [k v] (list 4 444)))");
            same(t, "(upsert '" + t + " 'k (table [v k] (list [5 6] [10 11])))");
            same(t, "(upsert '" + t + " 'k (list 0N 'n 1 'q))");
            // the engine's refusals: a vector of names, a string, an unknown column, a dict without the key
            same(t, "(upsert '" + t + " [k s] (list 3 'c 77 'q))");
            same(t, "(upsert '" + t + " \"k\" (list 3 'c 77 'q))");
            same(t, "(upsert '" + t + " 'nope (list 3 'c 77 'q))");
            same(t, "(upsert '" + t + " 'k (dict [s v] (list 'q 5)))");
        }
        // a key column that is not the first: the replicated table takes it as one server does
        same("ur", "(upsert 'ur 's (list 100 'a 1 'q))");
        same("ur", "(upsert 'ur 'g (list [200 201] [w w] [7 8] [y zz]))");
        // on sharded data the key must hold the shard key, so that equal keys meet on one shard
        refused("un", "(upsert 'un 's (list 100 'a 1 'q))", "the shard key k must be one of the 1 key column(s) [s]");
        assertThat(c.client.execute("(count un)").toString()).isEqualTo(c.oracle.execute("(count un)").toString());
    }

    /**
     * {@code alter} of a cluster table as the engine reads it: {@code concat} appends a table of the
     * same columns and types in place (columns in any order, extra ones left out), and the
     * engine's refusals of other values and of the other operations come back with its codes.
     */
    @Test
    void alterConcatAppendsInPlace() {
        tables("an", "ar");
        for (String t : new String[] {"an", "ar"}) {
            same(t, "(alter '" + t + " concat (table [k s v g] (list [20 21] [p q] [1 2] [x z])))");
            same(t, "(alter '" + t + " concat (table [g v s k] (list [y] [3] [r] [22])))");
            same(t, "(alter '" + t + " concat (table [k s v g w] (list [23] [s] [4] [x] [0.5])))");
            same(t, "(alter (quote " + t + ") concat (select {from: " + t + " where: (< k 3)}))");
            same(t, "(alter '" + t + " concat (table [k s v g] (list (as 'I64 []) (as 'SYM []) (as 'I64 []) (as 'SYM []))))");
            // the engine's refusals: no table, a missing column, another type (no widening), the other operations
            same(t, "(alter '" + t + " concat (list 24 'a 1 'x))");
            same(t, "(alter '" + t + " concat (dict [k s v g] (list 24 'a 1 'x)))");
            same(t, "(alter '" + t + " concat 5)");
            same(t, "(alter '" + t + " concat (table [k s v] (list [24] [a] [1])))");
            same(t, "(alter '" + t + " concat (table [k s v g] (list [24] [a] [1.5] [x])))");
            same(t, "(alter '" + t + " concat (table [k s v g] (list [24] [\"a\"] [1] [x])))");
            same(t, "(alter '" + t + " set 0 (list 1 'a 1 'x))");
            same(t, "(alter '" + t + " remove 0)");
            same(t, "(alter '" + t + " + 'v 1)");
            same(t, "(alter " + t + " concat (table [k s v g] (list [25] [a] [1] [x])))");
            // a statement of a do, as the engine runs the forms of one request
            same(t, "(do (alter '" + t + " concat (table [k s v g] (list [26] [b] [2] [y]))) (count " + t + "))");
        }
        // the columns keep one server's attribute bytes after the appends
        for (String t : new String[] {"an", "ar"}) {
            RayValue oracle = c.oracle.execute("(at " + t + " 's)");
            RayValue cluster = c.client.execute("(at " + t + " 's)");
            assertThat(io.rayforce.cluster.client.testing.Hex.of(io.rayforce.cluster.client.ipc.ValueWriter.answerPayload(cluster)))
                    .as(t).isEqualTo(io.rayforce.cluster.client.testing.Hex.of(
                            io.rayforce.cluster.client.ipc.ValueWriter.answerPayload(oracle)));
        }
    }

    @Test
    void updatesWithAggregatesAndGroups() {
        tables("ga", "gr");
        for (String t : new String[] {"ga", "gr"}) {
            // an aggregate without by: over the whole table, also with where: (as the engine computes it)
            same(t, "(update {from: '" + t + " v: (max v)})");
            same(t, "(update {from: '" + t + " v: (- k (min v)) where: (> k 2)})");
            same(t, "(update {from: '" + t + " v: (+ v (sum k)) where: (< k 3)})");
            // grouped: each group's value on every row of the group
            same(t, "(update {from: '" + t + " v: (sum v) by: g})");
            same(t, "(update {from: '" + t + " v: (+ k (max v)) by: g})");
            same(t, "(update {from: '" + t + " v: (count k) by: g})");
            same(t, "(update {from: '" + t + " s: (first s) by: g})");
            same(t, "(update {from: '" + t + " v: (* k 3) by: g})");
            // aggregates in where: of deletes and updates
            same(t, "(update {from: '" + t + " g: 'big where: (> k (avg k))})");
            same(t, "(delete {from: '" + t + " where: (< v (avg v))})");
            // the engine's errors
            same(t, "(update {from: '" + t + " v: (sum v) by: [g s]})");
            same(t, "(update {from: '" + t + " v: (sum v) by: g where: (> k 1)})");
            same(t, "(update {from: '" + t + " v: [1 2 3]})");
            same(t, "(update {from: '" + t + " v: [1 2] where: (< k 3)})");
        }
        // from: that is no table: type, as on the engine
        both.same("(delete {from: 42 where: (== k 1)})");
        both.same("(update {from: 42 v: 1})");
        both.same("(delete {from: \"x\" where: (== k 1)})");
        both.same("(update {from: [1 2] v: 1 where: (== k 1)})");
        assertThat(c.client.execute("(count ga)").toString()).isEqualTo(c.oracle.execute("(count ga)").toString());
    }

    @Test
    void aggregatesOverAnEmptyTable() {
        c.client.execute("(.cluster.create 'ge " + EMPTY + " 'k 3 2)");
        c.oracle.execute("(count (set ge " + EMPTY + "))");
        same("ge", "(update {from: 'ge v: (max v)})");
        same("ge", "(update {from: 'ge v: (sum v) by: g})");
        same("ge", "(delete {from: 'ge where: (< v (avg v))})");
    }

    @Test
    void updatesAndDeletesReadOtherTablesAsOneServer() {
        tables("os", "or");
        String other = "(table [w h] (list [10 30 50 99] [x z q r]))";
        c.client.execute("(.cluster.create 'ob " + other + " 'w 2 2)");
        c.oracle.execute("(count (set ob " + other + "))");
        for (String t : new String[] {"os", "or"}) {
            // in an update or delete a global table's name is its value on one server; the cluster reads it first
            same(t, "(update {from: '" + t + " v: (count ob)})");
            same(t, "(update {from: '" + t + " v: (+ k (first (at ob 'w)))})");
            same(t, "(update {from: '" + t + " v: (sum (at ob 'w)) where: (> k 5)})");
            same(t, "(update {from: '" + t + " v: (* 10 k) g: (last (at ob 'h)) where: (in k (til (count ob)))})");
            same(t, "(delete {from: '" + t + " where: (in v (at ob 'w))})");
            same(t, "(delete {from: '" + t + " where: (== k (count ob))})");
        }
        // a part that names a column of the table written as well is not read first: one server answers domain here
        refused("os", "(update {from: 'os v: 0 where: (in g (at ob 'g))})", "cannot refer to the cluster table ob");
        both.same("ob");
    }

    @Test
    void formsRefusedOnShardedDataSayWhatToDo() {
        tables("rs", "rr");
        // reads pair a vector literal with the table's rows too: not computed per shard (a shard has only some rows)
        both.same("(select {x: (+ v [8 7 6 5 4 3 2 1]) k: k from: rs})");
        both.same("(select {from: rs where: (== g [x y x y z z z x])})");
        both.same("(select {from: rs where: (in g [x z])})");
        // a vector of per-row values: each shard gets the values of its own rows, by their places in the table
        same("rs", "(update {from: 'rs v: [1 2 3 4 5 6 7 8]})");
        same("rs", "(update {from: 'rs v: (+ v [8 7 6 5 4 3 2 1]) s: [p q r s t u v w]})");
        same("rs", "(update {from: 'rs v: (* 2 [1 2 3 4 5 6 7 8]) g: (first s)})");
        same("rs", "(update {from: 'rs v: [1 2 3 4 5 6 7]})");
        same("rs", "(update {from: 'rs v: [11 12 13 14 15 16 17 18] where: (> k 2)})");
        same("rs", "(update {from: 'rs v: [1 2 3] where: (> k 2)})");
        refused("rs", "(update {from: 'rs k: [1 2 3 4 5 6 7 8]})", "assigning the shard key with a vector of per-row values");
        // and in where: of deletes and updates
        same("rs", "(delete {from: 'rs where: [true false]})");
        same("rs", "(delete {from: 'rs where: (and (> k 1) [true true false true false true true false])})");
        same("rs", "(update {from: 'rs v: 0 where: [true false true false]})");
        same("rs", "(update {from: 'rs v: [5 6 7 8] where: (or (== k 8) [true false false false])})");
        // running functions: computed over the whole table in its order (also with where:, whose rows take
        // the values at their places), then cut per shard like a vector of per-row values
        same("rs", "(update {from: 'rs v: (sums v)})");
        same("rs", "(update {from: 'rs v: (sums v) where: (> k 2)})");
        same("rs", "(update {from: 'rs v: (+ k (deltas v)) s: (reverse s)})");
        same("rs", "(update {from: 'rs v: (* 2 (reverse v)) where: (in g [x z])})");
        same("rs", "(delete {from: 'rs where: (> (sums v) 150)})");
        same("rs", "(update {from: 'rs v: (- (sums v) (max v))})");
        refused("rs", "(update {from: 'rs v: (sums v) by: g})", "must be computed row by row");
        // a table replicated to every node holds its rows together: running functions work there
        same("rr", "(update {from: 'rr v: [1 2 3 4 5 6 7 8]})");
        same("rr", "(update {from: 'rr v: (sums v)})");
    }

    @Test
    void updatesAddColumns() {
        tables("ac", "acr");
        c.client.execute("(.cluster.create 'ace " + EMPTY + " 'k 3 2)");
        c.oracle.execute("(count (set ace " + EMPTY + "))");
        for (String t : new String[] {"ac", "acr", "ace"}) {
            same(t, "(update {from: '" + t + " NewCol: 100})");
            // a group's value into a new column, a new column only some rows get (null on the others,
            // and on every row of some shards), several at once of other types
            same(t, "(update {from: '" + t + " w: (sum v) by: g})");
            same(t, "(update {from: '" + t + " n: 'x where: (> k 5)})");
            same(t, "(update {from: '" + t + " f: (+ v 0.5) h: \"s\" d: 2024.06.15})");
            // the new columns are the table's: updated, inserted into, filtered and grouped on
            same(t, "(update {from: '" + t + " NewCol: (+ NewCol k) where: (< k 4)})");
            same(t, "(insert '" + t + " (list 9 'i 90 'z 7 11 'y 1.5 \"t\" 2024.06.16))");
            same(t, "(insert '" + t + " (list [10 11] [j k] [100 110] [z z] [8 9] [12 13] [y y] [2.5 3.5] (list \"u\" \"v\") "
                    + "[2024.06.17 2024.06.18]))");
            both.same("(select {from: " + t + " where: (== n 'x)})");
            both.same("(select {s: (sum NewCol) by: n from: " + t + "})");
            both.same("(select {f: f k: k from: " + t + " where: (> NewCol 104)})");
            // the engine's own refusals of the new shape: an insert of the old width
            same(t, "(insert '" + t + " (list 12 'l 120 'z))");
        }
        refused("ac", "(update {from: 'ac k: 5 z: 1})", "cannot add column z in the update that assigns the shard key column k");
        // every replica of every shard keeps __seq as its last column
        assertThat(replicas("ac", (node, s, g) -> assertThat(node.execute("(key " + g + ")").toString()).as(g)
                .isEqualTo("[k s v g NewCol w n f h d __seq]"))).isEqualTo(6);
    }

    @Test
    void shardKeyUpdatesMoveRowsBetweenShards() {
        tables("mv", "mvr");
        for (String t : new String[] {"mv", "mvr"}) {
            same(t, "(update {from: '" + t + " k: (+ k 100) where: (< k 3)})");
            same(t, "(update {from: '" + t + " k: (* k 2)})");
            same(t, "(update {from: '" + t + " k: (- k (min k)) v: (+ v 1) where: (> v 30)})");
            same(t, "(update {from: '" + t + " k: 7 s: 'moved where: (== g 'x)})");
            same(t, "(update {from: '" + t + " k: (+ k 1) where: (== k -1)})");
            // each row is found on the shard of its new key
            for (int k : new int[] {7, 8, 10, 12, 40, 202, 204}) {
                both.same("(select {from: " + t + " where: (== k " + k + ")})");
            }
            both.same("(select {n: (count v) by: k from: " + t + "})");
        }
        refused("mv", "(update {from: 'mv k: (sum v) by: g})", "cannot assign the shard key column k with by:");
        refused("mv", "(update {from: 'mv k: (+ k 0.5)})", "would change column k from");
        assertThat(c.client.execute("(count mv)").toString()).isEqualTo("8");
        // every replica of every shard holds exactly the rows whose new key belongs to it, in __seq order
        RayTable rows = (RayTable) c.oracle.execute("mv");
        long[] perShard = new long[3];
        for (int shard : ShardFunction.shardsOf(rows.column("k"), 3)) {
            perShard[shard]++;
        }
        assertThat(perShard).as("the keys spread over more than one shard").doesNotContain(8L);
        assertThat(replicas("mv", (node, s, g) -> {
            assertThat(node.execute("(count " + g + ")")).as(g).isEqualTo(I64Atom.of(perShard[s]));
            assertThat(node.execute("(at " + g + " '__seq)")).as("%s in __seq order", g)
                    .isEqualTo(node.execute("(asc (at " + g + " '__seq))"));
        })).isEqualTo(6);
    }

    /** What {@link #replicas} checks on one replica: its node's engine, its shard and its global. */
    private interface ReplicaCheck {
        void check(TCPClient node, int shard, String global);
    }

    /** Runs {@code check} on every replica of the 3 shards of {@code table} on every node; answers how many there are. */
    private int replicas(String table, ReplicaCheck check) {
        int replicas = 0;
        for (var agent : c.agents) {
            try (TCPClient node = new TCPClient("127.0.0.1", agent.ipcPort())) {
                for (int s = 0; s < 3; s++) {
                    String g = table + "__" + s;
                    if (node.execute("(type (resolve '" + g + "))").equals(Symbol.of("TABLE"))) {
                        replicas++;
                        check.check(node, s, g);
                    }
                }
            }
        }
        return replicas;
    }

}
