package io.rayforce.cluster.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.chaos.oracle.SingleNodeOracle;
import io.rayforce.cluster.chaos.workload.GatewayClient;
import io.rayforce.cluster.chaos.workload.InsertStream;
import io.rayforce.cluster.chaos.workload.Reply;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.RayValue;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The insert stream's checker on a stand-in cluster (one native server): a faithful one passes
 * with every batch checked; one whose reads lose a row is caught reading part of a batch, and
 * one that loses an acknowledged batch is caught losing it.
 */
class StreamCheckerTest {
    static SingleNodeOracle oracle;
    static SingleNodeOracle cluster;

    @BeforeAll
    static void start() {
        oracle = SingleNodeOracle.start();
        cluster = SingleNodeOracle.start();
    }

    @AfterAll
    static void stop() {
        oracle.close();
        cluster.close();
    }

    private static CheckResult run(String table, UnaryOperator<RayValue> reads, UnaryOperator<RayValue> finals) throws Exception {
        cluster.execute("(count (set " + table + " " + InsertStream.COLUMNS + "))");
        InsertStream stream = new InsertStream(table, 4, 1, () -> new GatewayClient() {
            @Override
            public Reply execute(String q) {
                RayValue v = cluster.execute(q);
                return Reply.of(q.startsWith("(select") ? reads.apply(v) : v);
            }

            @Override
            public void close() {
            }
        });
        stream.start();
        Thread.sleep(700);
        stream.stop();
        assertThat(stream.batches()).hasSizeGreaterThan(20);
        assertThat(stream.reads()).isNotEmpty();
        return new StreamChecker(oracle).check(stream, finals.apply(cluster.execute(InsertStream.readAll(table))));
    }

    @Test
    void aFaithfulClusterPasses() throws Exception {
        CheckResult r = run("s1", v -> v, v -> v);
        assertThat(r.valid()).as(r.examples().toString()).isTrue();
        assertThat(r.readsChecked()).isPositive();
    }

    @Test
    void aReadWithPartOfABatchIsCaught() throws Exception {
        CheckResult r = run("s2", StreamCheckerTest::withoutLastRow, v -> v);
        assertThat(r.partialAnswers()).isPositive();
        assertThat(r.valid()).isFalse();
    }

    @Test
    void aLostAcknowledgedBatchIsCaught() throws Exception {
        CheckResult r = run("s3", v -> v, StreamCheckerTest::withoutLastRow);
        assertThat(r.lostWrites()).isPositive();
        assertThat(r.valid()).isFalse();
    }

    /** The table without its row of the largest id (the last row of a batch of several, or a whole batch of one). */
    private static RayValue withoutLastRow(RayValue v) {
        RayTable t = (RayTable) v;
        if (t.rowCount() < 2) {
            return v;
        }
        int[] keep = new int[t.rowCount() - 1];
        long max = Long.MIN_VALUE;
        int at = -1;
        var ids = (io.rayforce.cluster.client.value.LongBackedVector) t.column("id");
        for (int i = 0; i < t.rowCount(); i++) {
            if (ids.get(i) > max && (ids.get(i) % 8) > 0) {
                max = ids.get(i);
                at = i;
            }
        }
        if (at < 0) {
            return v;
        }
        for (int i = 0, j = 0; i < t.rowCount(); i++) {
            if (i != at) {
                keep[j++] = i;
            }
        }
        return t.gather(keep);
    }
}
