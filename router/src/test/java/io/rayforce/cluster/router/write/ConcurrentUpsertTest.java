package io.rayforce.cluster.router.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rayforce.cluster.client.ClientOptions;
import io.rayforce.cluster.client.TCPClient;
import io.rayforce.cluster.client.value.I64Atom;
import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import io.rayforce.cluster.client.value.Symbol;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.coordinator.meta.ClusterNaming;
import io.rayforce.cluster.node.NodeAgent;
import io.rayforce.cluster.router.testing.SameAnswer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Upserts from many clients at once into one table (issue 17): upserts keyed on one column that
 * each touch one shard are written together, one request per replica, each replica telling which
 * keys it holds. Eight writers, each owning its own keys, send single rows, partial dicts and
 * batches with repeated keys (new keys that a later upsert of the same group updates, null keys),
 * while other upserts span several shards. One server then gets each writer's statements in turn:
 * every answer must be the server's, the tables must hold the same rows, and each writer's rows
 * must stand in the order one server gives them (the order of their keys' first appearance).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentUpsertTest {
    private static final int WRITERS = 8;
    private static final int STATEMENTS = 40;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private WriteCluster c;

    @BeforeAll
    void start() {
        Metrics.addRegistry(meters);
        c = new WriteCluster(3);
    }

    @AfterAll
    void stop() {
        c.close();
        Metrics.removeRegistry(meters);
    }

    @Test
    void integerKeysAgreeWithOneServer() {
        String empty = "(table [k s px n] (list (as 'I64 []) (as 'SYM []) (as 'F64 []) (as 'I64 [])))";
        run("book", empty, "(.cluster.create 'book " + empty + " 'k 3 2)", "k", 3, w -> writer(w, "book", key -> "" + key, "0Nl"));
    }

    @Test
    void symbolKeysAgreeWithOneServer() {
        String empty = "(table [k s px n] (list (as 'SYM []) (as 'SYM []) (as 'F64 []) (as 'I64 [])))";
        run("tags", empty, "(.cluster.create 'tags " + empty + " 'k 2 2)", "k", 2, w -> writer(w, "tags", key -> "'w" + key, null));
    }

    /**
     * Writer {@code w}'s statements: its keys are w, w + 8, w + 16, ... ({@code key} spells one);
     * writer 0 also upserts the null key {@code nullKey} when there is one.
     */
    private static List<String> writer(int w, String t, LongFunction<String> key, String nullKey) {
        SplittableRandom r = new SplittableRandom(w * 31L + t.length());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < STATEMENTS; i++) {
            long k = w + WRITERS * (long) r.nextInt(12);
            long k2 = w + WRITERS * (long) r.nextInt(12);
            if (w == 0 && nullKey != null && (i == 5 || i == 30)) {
                // the null key: new at first, then updated (upsert matches null keys; in does not)
                out.add("(upsert '" + t + " 1 (list " + nullKey + " 'n" + i + " " + i + ".0 " + i + "))");
                continue;
            }
            switch (r.nextInt(6)) {
                case 0, 1 -> out.add("(upsert '" + t + " 1 (list " + key.apply(k) + " 's" + i + " " + i + ".5 " + i + "))");
                case 2 -> out.add("(upsert '" + t + " 'k (dict [k px] (list " + key.apply(k) + " " + i + ".25)))");
                // a repeated key in one batch (new or not): one row, at its first appearance, with the last values
                case 3 -> out.add("(upsert '" + t + " 1 (table [k s px n] (list [" + key.apply(k) + " " + key.apply(k2) + " "
                        + key.apply(k) + "] [a" + i + " b" + i + " c" + i + "] [1.0 2.0 3.0] [" + i + " " + (i + 1) + " " + (i + 2) + "])))");
                // two keys, maybe on two shards (then written through staging copies, not the lease)
                case 4 -> out.add("(upsert '" + t + " 1 (table [k n] (list [" + key.apply(k) + " " + key.apply(k2) + "] [" + i + " "
                        + (i * 2) + "])))");
                default -> out.add("(upsert '" + t + " 'k (list " + key.apply(k)
                        + " 'z" + i + " 0Nf " + i + "))");
            }
        }
        return out;
    }

    private void run(String t, String empty, String create, String keyColumn, int shards, IntFunction<List<String>> statements) {
        c.client.execute(create);
        c.oracle.execute("(count (set " + t + " " + empty + "))");
        DistributionSummary groups = meters.summary("rfc.write.lease.group", "kind", "upsert");
        long groupsBefore = groups.count();
        double writesBefore = groups.totalAmount();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<List<String>> all = new ArrayList<>();
        List<List<RayValue>> answers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            List<String> mine = statements.apply(w);
            List<RayValue> got = new ArrayList<>();
            all.add(mine);
            answers.add(got);
            threads.add(new Thread(() -> {
                for (String s : mine) {
                    try {
                        got.add(c.client.execute(s));
                    } catch (RuntimeException e) {
                        failures.add(s + ": " + e);
                        got.add(null);
                    }
                }
            }, "upserter-" + w));
        }
        threads.forEach(Thread::start);
        for (Thread th : threads) {
            try {
                th.join(120_000);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertThat(th.isAlive()).as("%s still running", th.getName()).isFalse();
        }
        assertThat(failures).as("upserts that failed").isEmpty();
        for (int w = 0; w < WRITERS; w++) {
            for (int i = 0; i < STATEMENTS; i++) {
                String s = all.get(w).get(i);
                SameAnswer.assertSame(s, c.oracle.execute(s), answers.get(w).get(i));
            }
        }
        String sorted = "(xasc " + t + " '" + keyColumn + ")";
        SameAnswer.assertSame("the rows of " + t, c.oracle.execute(sorted), c.client.execute(sorted));
        // each writer's rows in one server's order: its keys' first appearances
        RayTable one = (RayTable) c.oracle.execute(t);
        RayTable cluster = (RayTable) c.client.execute(t);
        for (int w = 0; w < WRITERS; w++) {
            assertThat(keysOf(w, cluster, keyColumn)).as("writer %d's keys in the cluster's order", w)
                    .containsExactlyElementsOf(keysOf(w, one, keyColumn));
        }
        shardsInOrder(t, shards);
        assertThat(groups.count()).as("upsert groups written").isGreaterThan(groupsBefore);
        assertThat(groups.totalAmount() - writesBefore).as("upserts written in groups (more upserts than groups: some shared one)")
                .isGreaterThan(groups.count() - groupsBefore);
    }

    /**
     * Every replica of every shard holds its rows in {@code __seq} order (the order reads merge and
     * first/last rely on), and the replicas of a shard are equal.
     */
    private void shardsInOrder(String t, int shards) {
        for (int shard = 0; shard < shards; shard++) {
            String global = ClusterNaming.shardGlobal(t, shard);
            List<RayValue> replicas = new ArrayList<>();
            for (NodeAgent agent : c.agents) {
                try (TCPClient engine = new TCPClient("127.0.0.1", agent.ipcPort(), ClientOptions.DEFAULT)) {
                    if (!"TABLE".equals(((Symbol) engine.execute("(type (resolve '" + global + "))")).name())) {
                        continue;
                    }
                    I64Vector seq = (I64Vector) engine.execute("(at " + global + " '" + ClusterNaming.SEQ_COLUMN + ")");
                    for (int i = 1; i < seq.length(); i++) {
                        assertThat(seq.get(i)).as("%s on %s: __seq at row %d after %d", global, agent.nodeId(), i, seq.get(i - 1))
                                .isGreaterThan(seq.get(i - 1));
                    }
                    replicas.add(engine.execute(global));
                }
            }
            assertThat(replicas).as("replicas of %s", global).hasSize(2);
            SameAnswer.assertSame("the replicas of " + global, replicas.get(0), replicas.get(1));
        }
    }

    /** The keys of writer {@code w}'s rows, in the table's order (w owns the keys whose number is w modulo 8). */
    private static List<Long> keysOf(int w, RayTable table, String keyColumn) {
        Vector keys = table.column(keyColumn);
        List<Long> mine = new ArrayList<>();
        for (int i = 0; i < table.rowCount(); i++) {
            RayValue v = keys.at(i);
            String digits = (v instanceof Symbol s ? s.name() : v instanceof I64Atom a && !a.isNull() ? "" + a.value() : "")
                    .replaceAll("[^0-9]", "");
            if (!digits.isEmpty() && Long.parseLong(digits) % WRITERS == w) {
                mine.add(Long.parseLong(digits));
            }
        }
        return mine;
    }
}
