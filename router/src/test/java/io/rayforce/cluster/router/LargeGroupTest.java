package io.rayforce.cluster.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.rayforce.cluster.client.value.I64Vector;
import io.rayforce.cluster.client.value.RayTable;
import io.rayforce.cluster.client.value.SymbolVector;
import io.rayforce.cluster.client.value.Vector;
import io.rayforce.cluster.router.merge.ValueOrder;
import io.rayforce.cluster.router.testing.LocalShards;
import io.rayforce.cluster.router.testing.SameAnswer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Group-bys over 100,000 rows, where one server's group order stops being first appearance
 * (integer keys come sorted). The cluster keeps first-appearance order, which the oracle itself
 * reports when a {@code first} is among the aggregates; the values must match exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeGroupTest {
    static final int ROWS = 100_000;
    private LocalShards cluster;
    private ClusterClient client;

    @BeforeAll
    void load() {
        cluster = new LocalShards(2);
        cluster.createTable("big", "id", 4, 1, "id:i64", "k:i64", "s:symbol", "qty:i64");
        SplittableRandom r = new SplittableRandom(5);
        long[] id = new long[ROWS];
        long[] k = new long[ROWS];
        String[] s = new String[ROWS];
        long[] qty = new long[ROWS];
        for (int i = 0; i < ROWS; i++) {
            id[i] = i;
            k[i] = 1000 - r.nextInt(200); // first appearance is far from sorted
            s[i] = "s" + r.nextInt(300);
            qty[i] = r.nextInt(100);
        }
        cluster.insert("big", RayTable.builder().column("id", new I64Vector(id)).column("k", new I64Vector(k))
                .column("s", new SymbolVector(s)).column("qty", new I64Vector(qty)).build());
        client = new ClusterClient(cluster);
    }

    @AfterAll
    void stop() {
        client.close();
        cluster.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"k", "s"})
    void groupsComeInFirstAppearanceOrderWithTheSingleServersValues(String key) {
        String q = "(select {t: (sum qty) n: (count id) a: (avg qty) by: " + key + " from: big})";
        RayTable cluster = (RayTable) client.execute(q);
        RayTable oracle = (RayTable) this.cluster.oracle().execute(q);
        // the oracle's first-appearance order of the keys (a first among the aggregates keeps it)
        RayTable order = (RayTable) this.cluster.oracle().execute("(select {f: (first id) by: " + key + " from: big})");
        RayTable expected = oracle.gather(positions(order.column(key), oracle.column(key)));
        assertThat(cluster.rowCount()).isGreaterThan(100);
        if (key.equals("k")) {
            // why the rule exists: one server sorts integer keys of a large group-by
            assertThat(oracle.column(key)).isNotEqualTo(expected.column(key));
        }
        SameAnswer.assertSame(q, expected, cluster);
    }

    /** For each key of {@code wanted} in order, its row in {@code keys}. */
    static int[] positions(Vector wanted, Vector keys) {
        int[] out = new int[wanted.length()];
        for (int i = 0; i < wanted.length(); i++) {
            int j = 0;
            while (!ValueOrder.same(keys, j, wanted, i)) {
                j++;
            }
            out[i] = j;
        }
        return out;
    }
}
